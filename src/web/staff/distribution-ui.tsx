import { Form } from 'react-router';
import type { Delivery } from '../../modules/distribution/distribution.ts';
import type { Lang } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { TableWrap } from '../components/TableWrap.tsx';
import { translator } from '../i18n/define.ts';
import { distribution, type DistributionKey } from '../i18n/distribution.ts';
import { useLang } from '../root.tsx';
import { when } from './catalog-edit-ui.tsx';

/** Shared bits of the distribution pages (media list, channels, deliveries, press subscription). */
export type DT = ReturnType<typeof translator<(typeof distribution)['fi']>>;

export function useDistText(): DT {
  return translator(distribution, useLang());
}

export function distText(lang: Lang): DT {
  return translator(distribution, lang);
}

/** A field error code from the server as text (unknown codes: a generic "not valid"). */
export function distError(t: DT, code: string | undefined): string | undefined {
  if (!code) return undefined;
  const key = `err_${code}` as DistributionKey;
  return key in distribution.fi ? t(key) : t('err_invalid');
}

/** The kinds social channels take (the module's SOCIAL_KINDS; repeated because the browser bundle must not import server modules). */
export const SOCIAL_KINDS = ['news', 'press_release', 'event'] as const;

export const langKey = (l: Lang): DistributionKey => (l === 'fi' ? 'langFi' : l === 'sv' ? 'langSv' : 'langEn');

/** Delivery status as a badge: the word carries the meaning, the colour only repeats it. */
export function DeliveryStatusBadge({ status, t }: { status: 'pending' | 'sent' | 'retrying' | 'failed'; t: DT }) {
  return <span className={`badge dist-status-${status}`}>{t(`st_${status}` as DistributionKey)}</span>;
}

/** Deliveries as a table: one item's (with a Retry form on failed rows) or recent ones across items (showItem). */
export function DeliveryTable({ deliveries, t, lang, showItem, caption }: { deliveries: Delivery[]; t: DT; lang: Lang; showItem?: boolean; caption: string }) {
  return (
    <TableWrap label={caption}>
      <table className="dist-deliveries">
        <thead>
          <tr>
            {showItem && <th scope="col">{t('colItem')}</th>}
            <th scope="col">{t('colChannel')}</th>
            <th scope="col">{t('colTarget')}</th>
            <th scope="col">{t('colPhase')}</th>
            <th scope="col">{t('colStatus')}</th>
            <th scope="col">{t('colAttempts')}</th>
            <th scope="col">{t('colError')}</th>
            <th scope="col">{t('colLink')}</th>
            <th scope="col">{t('colUpdated')}</th>
            {!showItem && <th scope="col">{t('colAction')}</th>}
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id}>
              {showItem && (
                <td>
                  <a href={`/${lang}/staff/news/${d.itemId}/deliveries`} lang={d.itemTitle && d.itemTitle.lang !== lang ? d.itemTitle.lang : undefined}>
                    {d.itemTitle?.text || t('none')}
                  </a>
                </td>
              )}
              <td>{t(`ch_${d.channel}` as DistributionKey)}</td>
              <td className="dist-target">{d.target}</td>
              <td>{t(`phase_${d.phase}` as DistributionKey)}</td>
              <td>
                <DeliveryStatusBadge status={d.status} t={t} />
              </td>
              <td>{d.attempts}</td>
              <td className="dist-error">{d.lastError ?? t('none')}</td>
              <td>{d.externalUrl ? <a href={d.externalUrl} rel="noreferrer">{t('openStatus')}</a> : t('none')}</td>
              <td>{when(d.sentAt ?? d.updatedAt, lang)}</td>
              {!showItem && (
                <td>
                  {d.status === 'failed' ? (
                    <Form method="post" reloadDocument>
                      <CsrfField />
                      <input type="hidden" name="intent" value="retry" />
                      <input type="hidden" name="deliveryId" value={d.id} />
                      <button type="submit" aria-label={t('retryLabel', { target: d.target })}>
                        {t('retry')}
                      </button>
                    </Form>
                  ) : (
                    t('none')
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}


/**
 * A group of checkboxes with one name (topics, kinds): a fieldset with its legend, an
 * optional hint the fieldset points at, and an error under the legend.
 */
export function Checks({
  name,
  legend,
  hint,
  error,
  options,
  chosen,
  lang,
}: {
  name: string;
  legend: string;
  hint?: string;
  error?: string;
  options: { value: string; label: { text: string; lang: Lang } }[];
  chosen: readonly string[];
  lang: Lang;
}) {
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className="dist-checks" aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {hint && (
        <p id={`${name}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${name}-error`} className="field-error">
          {error}
        </p>
      )}
      {options.map((o) => (
        <div className="checkbox" key={o.value}>
          <input type="checkbox" id={`${name}-${o.value}`} name={name} value={o.value} defaultChecked={chosen.includes(o.value)} />
          <label htmlFor={`${name}-${o.value}`} lang={o.label.lang !== lang ? o.label.lang : undefined}>
            {o.label.text || o.value}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** Topics as Checks options: the name in the page language (or the one it fell back to). */
export const topicOptions = (topics: { slug: string; name: { text: string; lang: Lang } }[]) => topics.map((x) => ({ value: x.slug, label: x.name }));

/** The languages as <option>s, named in the page language. */
export function LanguageOptions({ languages, t }: { languages: readonly Lang[]; t: DT }) {
  return (
    <>
      {languages.map((l) => (
        <option key={l} value={l}>
          {t(langKey(l))}
        </option>
      ))}
    </>
  );
}
