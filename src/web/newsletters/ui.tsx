import type { ReactNode } from 'react';
import { translator } from '../i18n/define.ts';
import { newsletters, type NewslettersKey } from '../i18n/newsletters.ts';
import { useLang } from '../root.tsx';
import type { Lang } from '../../platform/i18n.ts';

export type NT = ReturnType<typeof translator<(typeof newsletters)['fi']>>;

export const useNlText = (): NT => translator(newsletters, useLang());
export const nlText = (lang: Lang): NT => translator(newsletters, lang);

/** Pages with a private token in the URL: no caching, no indexing, no referrer to other sites (same-origin keeps the Origin header that form posts need). */
export const PRIVATE_HEADERS = { 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex', 'referrer-policy': 'same-origin' };

export function fieldError(t: NT, fields: Record<string, string> | undefined, name: string): string | undefined {
  const code = fields?.[name];
  if (!code) return undefined;
  const key = `err_${code}` as NewslettersKey;
  return key in newsletters.fi ? t(key) : t('err_invalid');
}

export const langLabel = (t: NT, l: Lang) => t(l === 'fi' ? 'langFi' : l === 'sv' ? 'langSv' : 'langEn');

/** The error line under a field or group; id matches the control's aria-describedby. */
export function ErrorLine({ id, text, t }: { id: string; text?: string; t: NT }) {
  if (!text) return null;
  return (
    <p id={id} className="field-error">
      <span className="visually-hidden">{t('errorPrefix')} </span>
      {text}
    </p>
  );
}

/** A group of checkboxes or radios in a fieldset with a legend, hint and error. */
export function ChoiceGroup(props: {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  type: 'checkbox' | 'radio';
  options: { value: string; label: ReactNode; lang?: string }[];
  selected: string[];
  t: NT;
}) {
  const id = `nl-${props.name}`;
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className="nl-choices" aria-describedby={describedBy}>
      <legend>{props.legend}</legend>
      {props.hint && (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      <ErrorLine id={`${id}-error`} text={props.error} t={props.t} />
      {props.options.map((o) => (
        <div className="nl-choice" key={o.value}>
          <input
            type={props.type}
            id={`${id}-${o.value}`}
            name={props.name}
            value={o.value}
            defaultChecked={props.selected.includes(o.value)}
            aria-invalid={props.error ? true : undefined}
          />
          <label htmlFor={`${id}-${o.value}`} lang={o.lang}>
            {o.label}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

export function Alert({ children }: { children: ReactNode }) {
  return (
    <div className="alert" role="alert">
      <p>{children}</p>
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="notice" role="status">
      <p>{children}</p>
    </div>
  );
}
