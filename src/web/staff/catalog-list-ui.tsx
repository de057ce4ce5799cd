import type { ReactNode } from 'react';
import type { Lang } from '../../platform/i18n.ts';
import type { CatalogEditKey } from '../i18n/catalog-edit.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { fieldId } from './admin-page.ts';
import { Form } from 'react-router';
import { CsrfField } from '../components/Csrf.tsx';
import { Breadcrumbs, Field, langName, type T } from './catalog-edit-ui.tsx';

/**
 * The parts the catalog list pages (services, units, content pages; synonyms and promoted
 * answers) share: the page head with its "new" button, the add form's language select, a
 * row's delete button, the GET filter form (works without JavaScript) and the result
 * count + table. Each page keeps its own loader, columns and cells.
 */

/** Title, breadcrumbs, heading, intro and, if given, the link to create a new item. */
export function ListHead({ lang, t, title, intro, newHref, newLabel }: { lang: Lang; t: T; title: CatalogEditKey; intro: CatalogEditKey; newHref?: string; newLabel?: CatalogEditKey }) {
  return (
    <>
      <title>{t(title)}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t(title) }]} />
      <h1>{t(title)}</h1>
      <p>{t(intro)}</p>
      {newHref && newLabel && (
        <p>
          <a className="button" href={newHref}>
            {t(newLabel)}
          </a>
        </p>
      )}
    </>
  );
}

/** The filter form: a text search first, then the page's own selects (children). */
export function FilterForm({ t, q, children }: { t: T; q: string; children: ReactNode }) {
  return (
    <form method="get" className="toolbar" aria-label={t('filterTitle')}>
      <div className="field">
        <label htmlFor={fieldId('q')}>{t('filterText')}</label>
        <input id={fieldId('q')} name="q" type="search" defaultValue={q} />
      </div>
      {children}
      <button type="submit" className="secondary">
        {t('filterApply')}
      </button>
    </form>
  );
}

/** A select of the filter form; the first option ("all") is the empty value. */
export function FilterSelect({ t, name, label, value, options }: { t: T; name: string; label: CatalogEditKey; value: string; options: readonly (readonly [string, CatalogEditKey])[] }) {
  return (
    <div className="field">
      <label htmlFor={fieldId(name)}>{t(label)}</label>
      <select id={fieldId(name)} name={name} defaultValue={value}>
        <option value="">{t('filterAll')}</option>
        {options.map(([v, key]) => (
          <option key={v} value={v}>
            {t(key)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The language select of an add form (synonyms, promoted answers): the tenant's languages. */
export function LanguageField({ t, languages, value, error }: { t: T; languages: Lang[]; value: string; error: string | undefined }) {
  return (
    <Field name="lang" label={t('fieldLanguage')} error={error} t={t}>
      {(aria) => (
        <select {...aria} defaultValue={value}>
          {languages.map((l) => (
            <option key={l} value={l}>
              {langName(t, l)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A row's delete button: its own plain POST (intent=delete), named for what it removes. */
export function DeleteForm({ t, id, label }: { t: T; id: string; label: string }) {
  return (
    <Form method="post" reloadDocument>
      <CsrfField />
      <input type="hidden" name="intent" value="delete" />
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="secondary small" aria-label={label}>
        {t('delete')}
      </button>
    </Form>
  );
}

/** Status and source filters of services and units. */
export const STATUS_OPTIONS = [
  ['published', 'statusPublished'],
  ['draft', 'statusDraft'],
  ['archived', 'statusArchived'],
] as const;
export const SOURCE_OPTIONS = [
  ['ptv', 'sourcePtv'],
  ['local', 'sourceLocal'],
] as const;

/** The result count and, unless empty, the table with the given column headers; rows are children. */
export function ResultTable({ t, label, total, empty, columns, live, children }: { t: T; label: string; total: number; empty: boolean; columns: CatalogEditKey[]; live?: boolean; children: ReactNode }) {
  return (
    <>
      <p aria-live={live ? 'polite' : undefined}>{t('resultCount', { count: total })}</p>
      {empty ? (
        <p>{t('noResults')}</p>
      ) : (
        <TableWrap label={label}>
          <table>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col">
                    {t(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}

/** A list page's filter from its query string: each named field ('' when absent) and the page (1 when absent or not a number). */
export function listQuery<K extends string>(request: Request, keys: readonly K[]): { filter: Record<K, string>; page: number } {
  const sp = new URL(request.url).searchParams;
  const filter = Object.fromEntries(keys.map((k) => [k, sp.get(k) ?? ''])) as Record<K, string>;
  return { filter, page: Number(sp.get('page')) || 1 };
}

/** One page of a paged list result, its items mapped for the page. */
export function pageOf<I, O>(r: { page: number; pageSize: number; total: number; items: I[] }, map: (item: I) => O) {
  return { page: r.page, pageSize: r.pageSize, total: r.total, items: r.items.map(map) };
}
