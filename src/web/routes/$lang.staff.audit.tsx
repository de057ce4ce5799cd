import { isAppError } from '../../platform/errors.ts';
import { data, useLoaderData } from 'react-router';
import { auditActions, auditQueryInput, viewAuditLog, type AuditPage } from '../../modules/audit/browse.ts';
import { parse } from '../../platform/validation.ts';
import { AdminErrorBoundary, describedBy, FieldError, FormAlert, useAdminText } from '../staff/AdminParts.tsx';
import { fieldId, formatHelsinki, requireConsoleRole } from '../staff/admin-page.ts';
import { errorMessage } from '../../platform/errors.ts';
import type { LoaderArgs } from '../server-helpers.ts';
import { TableWrap } from '../components/TableWrap.tsx';

const FILTERS = ['q', 'action', 'from', 'to'] as const;

/**
 * The audit log (tenant admins): a GET search form, newest first, keyset pagination with
 * ?before=<id>. Each view is itself recorded (audit.viewed).
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  const url = new URL(request.url);
  const raw: Record<string, string> = {};
  for (const k of [...FILTERS, 'before']) {
    const v = url.searchParams.get(k);
    if (v !== null) raw[k] = v;
  }
  const actions = await auditActions(context.services.db, context.tenant.id);
  try {
    const input = parse(auditQueryInput, raw);
    const page = await viewAuditLog(context.services.audit, context.services.db, context.tenant.id, context.actor, input, context.ip);
    return { lang, raw, actions, page, fields: undefined, message: undefined };
  } catch (e) {
    if (!isAppError(e) || e.status >= 500) throw e;
    return data(
      {
        lang,
        raw,
        actions,
        page: { entries: [], nextBefore: null } as AuditPage,
        fields: (e.details?.fields as Record<string, string> | undefined) ?? {},
        message: errorMessage(e.code, lang),
      },
      { status: e.status },
    );
  }
}

export default function AuditLog() {
  const { lang, raw, actions, page, fields, message } = useLoaderData<typeof loader>();
  const t = useAdminText();
  const filtered = FILTERS.some((k) => raw[k]);
  const query = new URLSearchParams(Object.entries(raw).filter(([k, v]) => k !== 'before' && v));
  const older = page.nextBefore ? `?${new URLSearchParams([...query, ['before', page.nextBefore]])}` : null;
  const actorText = (kind: string, label: string | null) => {
    const k =
      kind === 'staff'
        ? 'actorStaff'
        : kind === 'api_token'
          ? 'actorApiToken'
          : kind === 'resident'
            ? 'actorResident'
            : kind === 'system'
              ? 'actorSystem'
              : 'actorAnonymous';
    return label ? `${label} (${t(k)})` : t(k);
  };
  const dateField = (name: 'from' | 'to', label: string) => (
    <div className="field">
      <label htmlFor={fieldId(name)}>{label}</label>
      <input
        id={fieldId(name)}
        name={name}
        type="date"
        defaultValue={raw[name] ?? ''}
        aria-invalid={fields?.[name] ? true : undefined}
        aria-describedby={describedBy(name, fields)}
      />
      <FieldError name={name} fields={fields} t={t} />
    </div>
  );
  return (
    <>
      <title>{t('auditTitle')}</title>
      <h1>{t('auditTitle')}</h1>
      <p>{t('auditIntro')}</p>
      <FormAlert message={message} fields={fields} t={t} />
      <form method="get" role="search" aria-labelledby="audit-search-title">
        <h2 id="audit-search-title">{t('searchTitle')}</h2>
        <div className="toolbar">
          <div className="field">
            <label htmlFor={fieldId('q')}>{t('freeText')}</label>
            <p id={`${fieldId('q')}-hint`} className="hint">
              {t('freeTextHint')}
            </p>
            <input
              id={fieldId('q')}
              name="q"
              type="search"
              maxLength={200}
              defaultValue={raw.q ?? ''}
              aria-invalid={fields?.q ? true : undefined}
              aria-describedby={describedBy('q', fields, true)}
            />
            <FieldError name="q" fields={fields} t={t} />
          </div>
          <div className="field">
            <label htmlFor={fieldId('action')}>{t('actionLabel')}</label>
            <select id={fieldId('action')} name="action" defaultValue={raw.action ?? ''}>
              <option value="">{t('anyAction')}</option>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </div>
          {dateField('from', t('fromDate'))}
          {dateField('to', t('toDate'))}
          <div className="field">
            <button type="submit">{t('searchButton')}</button>
          </div>
        </div>
        {filtered && (
          <p>
            <a href={`/${lang}/staff/audit`}>{t('clearSearch')}</a>
          </p>
        )}
      </form>

      <h2>{t('resultsTitle')}</h2>
      <p role="status">{page.entries.length ? t('entriesShown', { n: page.entries.length }) : t('noEntries')}</p>
      {page.entries.length > 0 && (
        <TableWrap label={t('resultsTitle')}>
          <table>
            <caption className="visually-hidden">{t('resultsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colTime')}</th>
                <th scope="col">{t('colActor')}</th>
                <th scope="col">{t('colAction')}</th>
                <th scope="col">{t('colTarget')}</th>
                <th scope="col">{t('colReason')}</th>
              </tr>
            </thead>
            <tbody>
              {page.entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.at}>{formatHelsinki(e.at, lang)}</time>
                  </td>
                  <td>{actorText(e.actorKind, e.actorLabel)}</td>
                  <td>
                    <code>{e.action}</code>
                    {e.details && Object.keys(e.details).length > 0 && (
                      <>
                        <br />
                        <small className="audit-details">{JSON.stringify(e.details).slice(0, 300)}</small>
                      </>
                    )}
                  </td>
                  <td>{[e.targetKind, e.targetId].filter(Boolean).join(': ')}</td>
                  <td>{e.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {(raw.before || older) && (
        <nav aria-label={t('resultsTitle')} className="pager">
          <ul className="plain">
            {raw.before && (
              <li>
                <a href={`/${lang}/staff/audit${query.size ? `?${query}` : ''}`}>{t('newestEntries')}</a>
              </li>
            )}
            {older && (
              <li>
                <a href={`/${lang}/staff/audit${older}`} rel="next">
                  {t('olderEntries')}
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}
    </>
  );
}

export { AdminErrorBoundary as ErrorBoundary };
