import type { ReactNode } from 'react';
import { pick } from '../../platform/i18n.ts';
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx';
import { common } from '../i18n/common.ts';
import { translator } from '../i18n/define.ts';
import { fieldErrorKey, staffAuth } from '../i18n/staff-auth.ts';
import { useRoot } from '../root.tsx';

/** The frame of the pages before sign-in: tenant name, language switcher, one main landmark. */
export function AuthShell({ title, children }: { title: string; children: ReactNode }) {
  const { lang, tenant } = useRoot();
  const c = translator(common, lang);
  const name = pick(tenant.names, lang);
  return (
    <>
      <title>{`${title} – ${name.text}`}</title>
      <a className="skip-link" href="#main">
        {c('skipToContent')}
      </a>
      <header className="site-header">
        <div className="container header-row">
          <a className="brand" href={`/${lang}`}>
            <span lang={name.lang !== lang ? name.lang : undefined}>{name.text}</span>
          </a>
          <LanguageSwitcher lang={lang} languages={tenant.languages} label={c('languageSwitcher')} />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="container narrow auth-page">
        <h1>{title}</h1>
        {children}
      </main>
    </>
  );
}

/**
 * The error summary at the top of a form: announced (role="alert"), with links to the
 * fields that need fixing.
 */
export function ErrorSummary({
  message,
  fields,
  labels,
  id = 'form-errors',
}: {
  message: string;
  fields?: Record<string, string>;
  labels: Record<string, string>;
  id?: string;
}) {
  const { lang } = useRoot();
  const t = translator(staffAuth, lang);
  const list = Object.entries(fields ?? {}).filter(([f]) => f in labels);
  return (
    <div className="alert" role="alert" id={id} tabIndex={-1}>
      <p>
        <strong>{message}</strong>
      </p>
      {list.length > 0 && (
        <ul>
          {list.map(([f, code]) => (
            <li key={f}>
              <a href={`#${f}`}>
                {labels[f]}: {t(fieldErrorKey(code)!)}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A labelled input whose hint and error are tied to it with aria-describedby. */
export function Field(props: {
  id: string;
  label: string;
  type?: string;
  autoComplete: string;
  error?: string;
  hint?: string;
  defaultValue?: string;
  inputMode?: 'numeric' | 'email' | 'text';
  /** Also described by the form's error summary (e.g. wrong credentials). */
  describedBy?: string;
  maxLength?: number;
  pattern?: string;
}) {
  const { lang } = useRoot();
  const t = translator(staffAuth, lang);
  const key = fieldErrorKey(props.error);
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = key ? `${props.id}-error` : undefined;
  const describedBy = [hintId, errorId, props.describedBy].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint && (
        <p className="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        required
        aria-required="true"
        aria-invalid={key ? true : undefined}
        aria-describedby={describedBy}
        defaultValue={props.defaultValue}
        inputMode={props.inputMode}
        maxLength={props.maxLength}
        pattern={props.pattern}
      />
      {key && (
        <p className="field-error" id={errorId}>
          {t(key)}
        </p>
      )}
    </div>
  );
}
