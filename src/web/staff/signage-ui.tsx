import { data } from 'react-router';
import { errorMessage, isAppError } from '../../platform/errors.ts';
import type { SignageAccess } from '../../modules/signage/signage.ts';
import { LANGUAGES, pick, type Lang } from '../../platform/i18n.ts';
import { translator } from '../i18n/define.ts';
import { signage, type SignageKey } from '../i18n/signage.ts';
import { useLang } from '../root.tsx';
import { Problem } from './inbox-ui.tsx';

/** Shared pieces of the console's signage pages (screens, a screen's playlist, urgent notices). */

export type SignageT = ReturnType<typeof translator<(typeof signage)['fi']>>;
export const useSignageText = (): SignageT => translator(signage, useLang());

export type SignageResult =
  | { ok: true; intent: string; notice: SignageKey; url?: string }
  | { ok: false; intent: string; message: string; fields: Record<string, string>; values: Record<string, string | string[]> };

/** Runs one form intent; 401/403/404 go to the error boundary, other 4xx come back to the form with what was typed. */
export async function signageAction(lang: Lang, intent: string, values: Record<string, string | string[]>, fn: () => Promise<SignageResult | Response>) {
  try {
    return await fn();
  } catch (e) {
    if (!isAppError(e) || e.status >= 500) throw e;
    if (e.status === 401 || e.status === 403 || e.status === 404) throw data({ code: e.code }, { status: e.status });
    const fields = (e.details?.fields as Record<string, string> | undefined) ?? {};
    return data<SignageResult>({ ok: false, intent, message: errorMessage(e.code, lang), fields, values }, { status: e.status });
  }
}

/** The localized message for a field's error code. */
export function fieldErrorText(t: SignageT, code: string | undefined): string | undefined {
  if (!code) return undefined;
  const key = `err_${code}` as SignageKey;
  return key in signage.fi ? t(key) : t('err_invalid');
}

/** "6.12.2026 klo 14.05" style moment in Helsinki time. */
export function formatMoment(isoValue: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'fi' ? 'fi-FI' : lang === 'sv' ? 'sv-FI' : 'en-GB', {
    timeZone: 'Europe/Helsinki',
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(isoValue));
}

/** One labelled field with its error wired for assistive technology. */
export function Field({
  id,
  label,
  error,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  children: (aria: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => React.ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : {}) })}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** The secret URL, shown once after registration or rotation. */
export function OnceUrl({ url, t }: { url: string; t: SignageT }) {
  return (
    <div className="notice signage-once" role="status">
      <p>{t('urlOnce')}</p>
      <p>
        <label htmlFor="signage-url">{t('urlLabel')}</label>
        <input id="signage-url" readOnly value={url} className="signage-url" />
      </p>
    </div>
  );
}

/** Orientation, language and slide length: the same fields when registering and editing. */
export function ScreenOptions({
  t,
  languages,
  value,
  err,
}: {
  t: SignageT;
  languages: readonly string[];
  value: (k: string, fallback?: string) => string;
  err: (k: string) => string | undefined;
}) {
  return (
    <>
      <Field id="screen-orientation" label={t('orientation')} error={err('orientation')}>
        {(a) => (
          <select {...a} name="orientation" defaultValue={value('orientation', 'landscape')}>
            <option value="landscape">{t('landscape')}</option>
            <option value="portrait">{t('portrait')}</option>
          </select>
        )}
      </Field>
      <Field id="screen-lang" label={t('language')} error={err('lang')}>
        {(a) => (
          <select {...a} name="lang" defaultValue={value('lang', languages[0])}>
            {LANGUAGES.filter((l) => languages.includes(l)).map((l) => (
              <option key={l} value={l} lang={l}>
                {l === 'fi' ? 'suomi' : l === 'sv' ? 'svenska' : 'English'}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="screen-seconds" label={t('slideSeconds')} error={err('slideSeconds')}>
        {(a) => <input {...a} name="slideSeconds" type="number" min={5} max={120} required defaultValue={value('slideSeconds', '12')} />}
      </Field>
    </>
  );
}


/** The org units a person manages, indented by depth, as a <select>. */
export function UnitSelect({
  t,
  units,
  lang,
  defaultValue,
  error,
  empty,
}: {
  t: SignageT;
  units: { id: string; depth: number; name: { text: string; lang: Lang } }[];
  lang: Lang;
  defaultValue: string;
  error?: string;
  /** A "choose" option first (registering); editing always has a unit. */
  empty?: boolean;
}) {
  return (
    <Field id="screen-unit" label={t('unit')} error={error}>
      {(a) => (
        <select {...a} name="orgUnitId" required defaultValue={defaultValue}>
          {empty && <option value="">–</option>}
          {units.map((u) => (
            <option key={u.id} value={u.id} lang={u.name.lang !== lang ? u.name.lang : undefined}>
              {'\u00a0\u00a0'.repeat(u.depth)}
              {u.name.text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Loaders: the units whose screens the person manages, as UnitSelect and the notice form list them. */
export function unitOptions(access: SignageAccess, lang: Lang) {
  return access.units.filter((u) => access.canManage(u.id)).map((u) => ({ id: u.id, depth: u.depth, name: pick(u.names, lang) }));
}

/** The form-level error after a refused post: "check the fields" when fields are marked, else the reason. */
export function FormProblem({ failure, t }: { failure: { message: string; fields: Record<string, string> } | null; t: SignageT }) {
  if (!failure) return null;
  return <Problem message={Object.keys(failure.fields).length ? t('formError') : failure.message} />;
}
