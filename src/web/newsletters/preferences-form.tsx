import type { Lang } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { ChoiceGroup, fieldError, langLabel, type NT } from './ui.tsx';

export interface TopicOption {
  slug: string;
  name: string;
  lang: Lang;
}

/** Topics, frequency and language: the subscribe form and the preference page share them. */
export function SubscriptionFields(props: {
  t: NT;
  lang: Lang;
  topics: TopicOption[];
  languages: Lang[];
  values: { topics: string[]; frequency: string; language: string };
  fields?: Record<string, string>;
}) {
  const { t, lang, fields, values } = props;
  const langError = fieldError(t, fields, 'language');
  return (
    <>
      <ChoiceGroup
        t={t}
        type="checkbox"
        name="topics"
        legend={t('topicsLegend')}
        hint={t('topicsHint')}
        error={fieldError(t, fields, 'topics')}
        options={props.topics.map((o) => ({ value: o.slug, label: o.name, lang: o.lang !== lang ? o.lang : undefined }))}
        selected={values.topics}
      />
      <ChoiceGroup
        t={t}
        type="radio"
        name="frequency"
        legend={t('frequencyLegend')}
        error={fieldError(t, fields, 'frequency')}
        options={(['instant', 'daily', 'weekly'] as const).map((f) => ({ value: f, label: t(`freq_${f}`) }))}
        selected={[values.frequency]}
      />
      <div className="field">
        <label htmlFor="nl-language">{t('languageLabel')}</label>
        <select id="nl-language" name="language" defaultValue={values.language} aria-invalid={langError ? true : undefined} aria-describedby={langError ? 'nl-language-error' : undefined}>
          {props.languages.map((l) => (
            <option key={l} value={l}>
              {langLabel(t, l)}
            </option>
          ))}
        </select>
        {langError && (
          <p id="nl-language-error" className="field-error">
            <span className="visually-hidden">{t('errorPrefix')} </span>
            {langError}
          </p>
        )}
      </div>
      <CsrfField />
    </>
  );
}
