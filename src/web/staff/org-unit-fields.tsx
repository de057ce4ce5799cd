import { LANGUAGES, type Lang } from '../../platform/i18n.ts';
import { translator } from '../i18n/define.ts';
import { staffAdmin } from '../i18n/staff-admin.ts';
import { useRoot } from '../root.tsx';
import { Field, fieldErrorText } from './admin-ui.tsx';

/** Form fields names.fi, names.sv, names.en (module input shape) to a names object. */
export function unitNamesFromForm(form: Record<string, string>) {
  return Object.fromEntries(LANGUAGES.filter((l) => `names.${l}` in form).map((l) => [l, form[`names.${l}`]]));
}

/** Name per enabled language (the default one required) and the kind of a unit. */
export function UnitFields({
  lang,
  fields,
  values,
  current,
  kinds,
}: {
  lang: Lang;
  fields: Record<string, string>;
  values?: Record<string, string>;
  current?: { names: Partial<Record<Lang, string>>; kind: string };
  kinds: readonly string[];
}) {
  const { tenant } = useRoot();
  const t = translator(staffAdmin, lang);
  const langName = { fi: t('langFi'), sv: t('langSv'), en: t('langEn') };
  return (
    <>
      {LANGUAGES.filter((l) => tenant.languages.includes(l)).map((l) => (
        <Field
          key={l}
          id={`names-${l}`}
          label={
            <>
              {t('fieldNameIn', { language: langName[l] })} {l === tenant.defaultLanguage && t('required')}
            </>
          }
          error={fieldErrorText(lang, fields[`names.${l}`] ?? (l === tenant.defaultLanguage ? fields.names : undefined))}
        >
          {(aria) => (
            <input
              {...aria}
              name={`names.${l}`}
              type="text"
              lang={l}
              maxLength={200}
              required={l === tenant.defaultLanguage}
              defaultValue={values?.[`names.${l}`] ?? current?.names[l] ?? ''}
              autoComplete="off"
            />
          )}
        </Field>
      ))}
      <Field id="kind" label={t('fieldKind')} error={fieldErrorText(lang, fields.kind)}>
        {(aria) => (
          <select {...aria} name="kind" defaultValue={values?.kind ?? current?.kind ?? 'department'}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {t(`kind_${k}` as 'kind_other')}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}
