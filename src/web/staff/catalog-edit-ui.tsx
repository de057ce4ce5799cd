import { useEffect, useRef, useState, type ReactNode } from 'react';
import { data } from 'react-router';
import type { StaffUser } from '../../modules/identity/actor.ts';
import { errorMessage, isAppError } from '../../platform/errors.ts';
import { LANGUAGES, type Lang } from '../../platform/i18n.ts';
import type { RequestContext } from '../../server/context.ts';
import { catalogEdit, type CatalogEditKey } from '../i18n/catalog-edit.ts';
import { translator } from '../i18n/define.ts';
import { useLang } from '../root.tsx';
import { fieldId, requireConsoleRole } from './admin-page.ts';

/**
 * Shared pieces of the catalog editing pages (services, units, content pages, synonyms,
 * promoted answers): the server-side role check, an action runner that keeps what was
 * typed (and the newer updatedAt after a 409, so a second save is a deliberate
 * overwrite), form parsing, and field markup wiring errors to inputs.
 */

export type T = ReturnType<typeof translator<(typeof catalogEdit)['fi']>>;
export const useCatalogText = (): T => translator(catalogEdit, useLang());

/** Loaders and actions: communications (tenant admins implied); else 403. */
export function requireEditorPage(context: RequestContext, request: Request, params: { lang?: string }): { lang: Lang; user: StaffUser } {
  return requireConsoleRole(context, request, params, ['communications']);
}

export type EditResult =
  | { ok: true; intent: string; notice: CatalogEditKey; vars?: Record<string, string> }
  | {
      ok: false;
      intent: string;
      message: string;
      reason?: string;
      fields: Record<string, string>;
      values: Record<string, string | string[]>;
      /** After a 409: the stored row's updatedAt, put in the form so saving again overwrites knowingly. */
      updatedAt?: string;
    };

/** The submitted form as name → value(s), without the CSRF token. */
export function formValues(form: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of form.entries()) {
    if (typeof v !== 'string' || k === '_csrf') continue;
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Runs one intent; AppErrors (but 401/403/404, which go to the error boundary) become form data with their status. */
export async function editAction(lang: Lang, intent: string, values: Record<string, string | string[]>, fn: () => Promise<EditResult | Response>) {
  try {
    return await fn();
  } catch (e) {
    if (!isAppError(e) || e.status >= 500) throw e;
    if (e.status === 404 || e.status === 403 || e.status === 401) throw data({ code: e.code }, { status: e.status });
    const t = translator(catalogEdit, lang);
    const fields = (e.details?.fields as Record<string, string> | undefined) ?? {};
    const reason = typeof e.details?.reason === 'string' ? e.details.reason : undefined;
    const message = reason === 'stale' ? t('staleTitle') : Object.keys(fields).length ? t('formErrors') : errorMessage(e.code, lang);
    const result: EditResult = {
      ok: false,
      intent,
      message,
      reason,
      fields,
      values,
      updatedAt: typeof e.details?.updatedAt === 'string' ? e.details.updatedAt : undefined,
    };
    return data(result, { status: e.status });
  }
}

// ---------- form parsing ----------

export function str(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
}

export function strs(form: FormData, name: string): string[] {
  return form.getAll(name).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** `${prefix}.fi`, `.sv`, `.en` fields as a localized object (only the ones in the form). */
export function localizedFrom(form: FormData, prefix: string): Partial<Record<Lang, string>> {
  const out: Partial<Record<Lang, string>> = {};
  for (const l of LANGUAGES) {
    const v = form.get(`${prefix}.${l}`);
    if (typeof v === 'string') out[l] = v;
  }
  return out;
}

/** Textareas with one entry per line, per language. */
export function listFrom(form: FormData, prefix: string): Partial<Record<Lang, string[]>> {
  const out: Partial<Record<Lang, string[]>> = {};
  for (const l of LANGUAGES) {
    const v = form.get(`${prefix}.${l}`);
    if (typeof v === 'string') out[l] = v.split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
  }
  return out;
}

// ---------- markup ----------

/** The error code for a field: its own, or the first of its sub-fields (names → names.fi.0). */
export function errorFor(fields: Record<string, string> | undefined, name: string): string | undefined {
  if (!fields) return undefined;
  if (fields[name]) return fields[name];
  const key = Object.keys(fields).find((k) => k.startsWith(`${name}.`));
  return key ? fields[key] : undefined;
}

export function errorText(t: T, code: string | undefined): string | undefined {
  if (!code) return undefined;
  const key = `err_${code}` as CatalogEditKey;
  return key in catalogEdit.fi ? t(key) : t('err_invalid_type');
}

export function LangName({ l, t }: { l: Lang; t: T }) {
  return <>{t(l === 'fi' ? 'langFi' : l === 'sv' ? 'langSv' : 'langEn')}</>;
}
export const langName = (t: T, l: Lang) => t(l === 'fi' ? 'langFi' : l === 'sv' ? 'langSv' : 'langEn');

/** Label, hint, control and error, wired with aria-describedby and aria-invalid. */
export function Field(props: {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  wide?: boolean;
  /** Any console dictionary with `errorPrefix` will do (the bot FAQ pages use it too). */
  t: (key: 'errorPrefix') => string;
  children: (aria: { id: string; name: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode;
}) {
  const id = fieldId(props.name);
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={props.wide ? 'field field-wide' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      {props.children({ id, name: props.name, 'aria-describedby': describedBy, 'aria-invalid': props.error ? true : undefined })}
      {props.error && (
        <p id={`${id}-error`} className="field-error">
          <span className="visually-hidden">{props.t('errorPrefix')} </span>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** Where this page sits: console › list › item. The last entry is the current page. Any console dictionary with `breadcrumb` will do. */
export function Breadcrumbs({ items, t }: { items: { href?: string; label: ReactNode }[]; t: (key: 'breadcrumb') => string }) {
  return (
    <nav aria-label={t('breadcrumb')} className="breadcrumbs">
      <ol>
        {items.map((i, n) => (
          <li key={n}>{i.href ? <a href={i.href}>{i.label}</a> : <span aria-current="page">{i.label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}

/**
 * The trail of a page that belongs to one record (a content page's history, a news item's
 * readers or deliveries): console, the list, the record by its title, this page. The title
 * is marked with its own language when it is not the page language.
 */
export function RecordBreadcrumbs({
  t,
  lang,
  list,
  record,
  here,
}: {
  t: (key: 'breadcrumb' | 'consoleHome') => string;
  lang: Lang;
  list: { href: string; label: string };
  record: { href: string; title: { text: string; lang: Lang } };
  here: string;
}) {
  const { title } = record;
  return (
    <Breadcrumbs
      t={t}
      items={[
        { href: `/${lang}/staff`, label: t('consoleHome') },
        list,
        { href: record.href, label: <span lang={title.lang !== lang ? title.lang : undefined}>{title.text}</span> },
        { label: here },
      ]}
    />
  );
}

/** Message keys of the channel kinds (services' channels, unit lists and editors). */
export const KIND_LABEL = {
  service_location: 'kindServiceLocation',
  phone: 'kindPhone',
  e_service: 'kindEService',
  web_page: 'kindWebPage',
  printable_form: 'kindPrintableForm',
} as const;

const STATUS_LABEL = { draft: 'statusDraft', published: 'statusPublished', archived: 'statusArchived', changed: 'statusChanged' } as const;

export function StatusBadge({ status, t }: { status: keyof typeof STATUS_LABEL; t: T }) {
  return <span className={`badge status-${status}`}>{t(STATUS_LABEL[status])}</span>;
}
export const statusLabel = (t: T, s: keyof typeof STATUS_LABEL) => t(STATUS_LABEL[s]);

/** The alert at the top of a failed form; for a 409, what happened and how nothing is lost. */
export function FormProblem({ result, t, savedHref }: { result: EditResult | undefined; t: T; savedHref?: string }) {
  if (!result) return null;
  if (result.ok) {
    return (
      <div className="notice" role="status">
        <p>{t(result.notice, result.vars)}</p>
      </div>
    );
  }
  if (result.reason === 'stale') {
    return (
      <StaleAlert title={t('staleTitle')} text={t('staleText')}>
        {savedHref && (
          <p>
            <a href={savedHref} target="_blank" rel="noopener">
              {t('openSaved')}
            </a>
          </p>
        )}
      </StaleAlert>
    );
  }
  return (
    <div className="alert" role="alert">
      <p>{result.message}</p>
    </div>
  );
}

/**
 * After a 409 (someone saved the same record meanwhile): what happened and, in children,
 * the way on. Shared by the catalogue and the news editors so the two read alike.
 */
export function StaleAlert({ title, text, children }: { title: string; text: string; children?: ReactNode }) {
  return (
    <div className="alert" role="alert">
      <p>
        <strong>{title}</strong>
      </p>
      <p>{text}</p>
      {children}
    </div>
  );
}

/** A notice from a redirect (?notice=key), shown once after post/redirect/get. */
export function noticeFrom(request: Request, allowed: CatalogEditKey[]): CatalogEditKey | null {
  const n = new URL(request.url).searchParams.get('notice');
  return n && (allowed as string[]).includes(n) ? (n as CatalogEditKey) : null;
}

/**
 * The content page editor: a plain textarea holding HTML (works without JavaScript), and
 * once hydrated a small toolbar that wraps the selection in the allowed tags. Buttons are
 * ordinary buttons (Tab reaches them, Enter/Space press them); focus returns to the text
 * with the inserted markup selected. Ctrl/Cmd+B and +I work inside the textarea.
 */
export function RichTextArea(props: {
  name: string;
  label: string;
  hint: string;
  defaultValue: string;
  error?: string;
  lang: Lang;
  t: T;
  toolbarLabel: string;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const [enhanced, setEnhanced] = useState(false);
  useEffect(() => setEnhanced(true), []);
  const id = fieldId(props.name);
  // Wraps the selection in a tag pair and keeps the wrapped text selected.
  const wrap = (before: string, after: string) => {
    const el = ref.current;
    if (!el) return;
    const { selectionStart: s, selectionEnd: e, value } = el;
    const inner = value.slice(s, e);
    el.setRangeText(before + inner + after, s, e, 'end');
    el.focus();
    el.setSelectionRange(s + before.length, s + before.length + inner.length);
  };
  const tools: { key: CatalogEditKey; run: () => void }[] = [
    { key: 'toolBold', run: () => wrap('<strong>', '</strong>') },
    { key: 'toolItalic', run: () => wrap('<em>', '</em>') },
    { key: 'toolHeading', run: () => wrap('<h2>', '</h2>') },
    { key: 'toolList', run: () => wrap('<ul>\n<li>', '</li>\n</ul>') },
    {
      key: 'toolLink',
      run: () => {
        // "https://" is left selected so the address typed next replaces it.
        const el = ref.current;
        if (!el) return;
        const { selectionStart: s, selectionEnd: e, value } = el;
        const text = value.slice(s, e) || props.t('toolLink');
        el.setRangeText(`<a href="https://">${text}</a>`, s, e, 'end');
        el.focus();
        el.setSelectionRange(s + 9, s + 17);
      },
    },
  ];
  const describedBy = [`${id}-hint`, props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field field-wide rich-text">
      <label htmlFor={id}>{props.label}</label>
      <p id={`${id}-hint`} className="hint">
        {props.hint}
      </p>
      {enhanced && (
        <div role="toolbar" aria-label={props.toolbarLabel} aria-controls={id} className="rt-toolbar">
          {tools.map((tool) => (
            <button key={tool.key} type="button" className={`secondary small tool-${tool.key}`} onClick={tool.run}>
              {props.t(tool.key)}
            </button>
          ))}
        </div>
      )}
      <textarea
        ref={ref}
        id={id}
        name={props.name}
        lang={props.lang}
        rows={12}
        defaultValue={props.defaultValue}
        aria-describedby={describedBy}
        aria-invalid={props.error ? true : undefined}
        onKeyDown={(e) => {
          if (!(e.ctrlKey || e.metaKey)) return;
          if (e.key === 'b') (e.preventDefault(), wrap('<strong>', '</strong>'));
          if (e.key === 'i') (e.preventDefault(), wrap('<em>', '</em>'));
        }}
      />
      {props.error && (
        <p id={`${id}-error`} className="field-error">
          <span className="visually-hidden">{props.t('errorPrefix')} </span>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** Page-count navigation of a list: previous/next links keeping the filters. */
export function Pager({ page, pageSize, total, href, t }: { page: number; pageSize: number; total: number; href: (page: number) => string; t: T }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav aria-label={t('pagerLabel')} className="pager">
      <ul>
        {page > 1 && (
          <li>
            <a href={href(page - 1)}>{t('previousPage')}</a>
          </li>
        )}
        <li aria-current="page">{t('pageOf', { page, pages })}</li>
        {page < pages && (
          <li>
            <a href={href(page + 1)}>{t('nextPage')}</a>
          </li>
        )}
      </ul>
    </nav>
  );
}

/** Formats an instant as Finnish local time in the page language. */
export function when(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat({ fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[lang], { timeZone: 'Europe/Helsinki', dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
}

/** The "saved"/"removed" line after a redirect (?notice=…). */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="notice" role="status">
      <p>{children}</p>
    </div>
  );
}

/**
 * Field values and errors of an editor form: after a refused save, what was typed (a field
 * missing from the submission is empty); otherwise the stored value.
 */
export function editorForm(t: T, fields: Record<string, string> | undefined, submitted: Record<string, string | string[]> | undefined) {
  return {
    err: (name: string) => errorText(t, errorFor(fields, name)),
    value: (name: string, stored: string | number | null | undefined) => {
      const v = submitted?.[name];
      return typeof v === 'string' ? v : submitted ? '' : stored === null || stored === undefined ? '' : String(stored);
    },
  };
}

/** An add form (synonyms, promoted answers): what was typed into it when refused (else the fallback) and its field errors. */
export function addForm(t: T, result: EditResult | undefined) {
  const failure = result && !result.ok ? result : undefined;
  return {
    v: (name: string, fallback = '') => {
      const x = failure?.values[name];
      return typeof x === 'string' ? x : fallback;
    },
    err: (name: string) => errorText(t, errorFor(failure?.fields, name)),
  };
}

/** Title, breadcrumbs (console › list › item) and heading of an editor page. */
export function EditorHead({ lang, t, list, listHref, title }: { lang: Lang; t: T; list: CatalogEditKey; listHref: string; title: { text: string; lang: Lang } }) {
  const other = title.lang !== lang ? title.lang : undefined;
  return (
    <>
      <title>{`${title.text} – ${t(list)}`}</title>
      <Breadcrumbs
        t={t}
        items={[
          { href: `/${lang}/staff`, label: t('consoleHome') },
          { href: listHref, label: t(list) },
          { label: <span lang={other}>{title.text}</span> },
        ]}
      />
      <h1 lang={other}>{title.text}</h1>
    </>
  );
}
