import { useEffect, useRef, useState, type FormEvent } from 'react';
import { data, Form, useActionData, useLoaderData, useRevalidator } from 'react-router';
import { hasRole } from '../../modules/identity/access.ts';
import { importPtvCatalog, listImportRuns, type ImportReport, type ImportRunListItem } from '../../modules/catalog/ptv-import.ts';
import type { ImportIssue } from '../../modules/catalog/ptv-schema.ts';
import { getSyncSettings, requestSync, saveSyncSettings } from '../../modules/catalog/ptv-sync.ts';
import { errorMessage, isAppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { TableWrap } from '../components/TableWrap.tsx';
import { catalogImport, type CatalogImportKey } from '../i18n/catalog-import.ts';
import { translator } from '../i18n/define.ts';
import { useLang, useRoot } from '../root.tsx';
import type { ActionArgs, LoaderArgs } from '../server-helpers.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { fieldId, formatHelsinki, requireConsoleRole } from '../staff/admin-page.ts';

/**
 * PTV import (communications staff; tenant admins also set up the nightly sync). Without
 * JavaScript the file goes as a multipart form post to this page's action; with JavaScript it
 * is sent to POST /api/v1/catalog/import with upload progress, and the report replaces the
 * form's result area without a reload. Both show the same report.
 */

const ROLES = ['communications' as const];

export async function loader({ context, params, request }: LoaderArgs) {
  const { lang, user } = requireConsoleRole(context, request, params, ROLES);
  const [runs, sync] = await Promise.all([listImportRuns(context.services.db, context.tenant.id, 20), getSyncSettings(context.services.db, context.tenant.id)]);
  return { lang, runs, sync, canAdmin: hasRole(user, 'tenant_admin'), maxBytes: context.services.config.CATALOG_IMPORT_MAX_BYTES };
}

type UploadResult =
  | { ok: true; report: ImportReport }
  | { ok: false; message: string; errors?: ImportIssue[]; errorCount?: number };

type ActionResult =
  | { intent: 'upload'; result: UploadResult }
  | { intent: 'sync-settings' | 'sync-now'; ok: true; notice: CatalogImportKey }
  | { intent: 'sync-settings' | 'sync-now'; ok: false; message: string; fields?: Record<string, string>; values?: Record<string, string> };

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireConsoleRole(context, request, params, ROLES);
  const { services, tenant, actor } = context;
  const t = translator(catalogImport, lang);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return data<ActionResult>({ intent: 'upload', result: { ok: false, message: errorMessage('bad_request', lang) } }, { status: 400 });
  }
  const intent = String(form.get('intent') ?? 'upload');
  if (intent === 'sync-settings' || intent === 'sync-now') {
    const values = { url: String(form.get('url') ?? ''), enabled: form.get('enabled') === 'on' ? 'on' : '' };
    try {
      if (intent === 'sync-settings') await saveSyncSettings(services, tenant.id, actor, { url: values.url, enabled: values.enabled === 'on' });
      else await requestSync(services, tenant.id, actor);
      return data<ActionResult>({ intent, ok: true, notice: intent === 'sync-settings' ? 'syncSaved' : 'syncQueued' });
    } catch (e) {
      if (!isAppError(e) || e.status >= 500) throw e;
      if (e.status === 401 || e.status === 403) throw data({ code: e.code }, { status: e.status });
      return data<ActionResult>(
        { intent, ok: false, message: errorMessage(e.code, lang), fields: e.details?.fields as Record<string, string> | undefined, values },
        { status: e.status },
      );
    }
  }
  const file = form.get('file');
  if (typeof file === 'string' || !file || file.size === 0) {
    return data<ActionResult>({ intent: 'upload', result: { ok: false, message: t('chooseFile') } }, { status: 400 });
  }
  let document: unknown;
  try {
    document = JSON.parse(await file.text());
  } catch {
    return data<ActionResult>({ intent: 'upload', result: { ok: false, message: `${t('notJson')} ${errorMessage('malformed_json', lang)}` } }, { status: 400 });
  }
  try {
    const report = await importPtvCatalog(services, tenant.id, document, { source: 'upload', actor });
    return data<ActionResult>({ intent: 'upload', result: { ok: true, report } });
  } catch (e) {
    if (!isAppError(e) || e.status >= 500) throw e;
    const errors = e.details?.errors as ImportIssue[] | undefined;
    return data<ActionResult>(
      { intent: 'upload', result: { ok: false, message: errorMessage(e.code, lang), errors, errorCount: e.details?.errorCount as number | undefined } },
      { status: e.status },
    );
  }
}

type T = ReturnType<typeof translator<(typeof catalogImport)['fi']>>;

export default function CatalogImportPage() {
  const { lang, runs, sync, canAdmin, maxBytes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionResult | undefined;
  const t = translator(catalogImport, lang);
  const syncResult = actionData && actionData.intent !== 'upload' ? actionData : undefined;
  const syncFailure = syncResult && !syncResult.ok ? syncResult : undefined;
  const sizeText = t('megabytes', { n: Math.round((maxBytes / 1024 / 1024) * 10) / 10 });

  return (
    <>
      <title>{t('title')}</title>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>

      <h2>{t('uploadTitle')}</h2>
      <Upload t={t} lang={lang} hint={t('fileHint', { max: sizeText })} initial={actionData?.intent === 'upload' ? actionData.result : undefined} />

      <h2>{t('syncTitle')}</h2>
      <p>{t('syncIntro')}</p>
      {syncResult?.ok && (
        <div className="notice" role="status">
          <p>{t(syncResult.notice)}</p>
        </div>
      )}
      {syncFailure && (
        <div className="alert" role="alert">
          <p>{syncFailure.message}</p>
        </div>
      )}
      {sync ? <p>{t(sync.enabled ? 'syncStatusOn' : 'syncStatusOff', { url: sync.url })}</p> : <p>{t('syncNotSet')}</p>}
      {canAdmin && (
        <Form method="post" noValidate>
          <CsrfField />
          <input type="hidden" name="intent" value="sync-settings" />
          <div className="field field-wide">
            <label htmlFor={fieldId('sync-url')}>{t('syncUrl')}</label>
            <p id={`${fieldId('sync-url')}-hint`} className="hint">
              {t('syncUrlHint')}
            </p>
            <input
              id={fieldId('sync-url')}
              name="url"
              type="url"
              inputMode="url"
              autoComplete="off"
              maxLength={2000}
              defaultValue={syncFailure?.values?.url ?? sync?.url ?? ''}
              aria-invalid={syncFailure?.fields?.url ? true : undefined}
              aria-describedby={[`${fieldId('sync-url')}-hint`, syncFailure?.fields?.url ? `${fieldId('sync-url')}-error` : ''].filter(Boolean).join(' ')}
            />
            {syncFailure?.fields?.url && (
              <p id={`${fieldId('sync-url')}-error`} className="field-error">
                {fieldError(t, syncFailure.fields.url)}
              </p>
            )}
          </div>
          <div className="checkbox">
            <input
              type="checkbox"
              id={fieldId('sync-enabled')}
              name="enabled"
              defaultChecked={syncFailure?.values ? syncFailure.values.enabled === 'on' : (sync?.enabled ?? false)}
            />
            <label htmlFor={fieldId('sync-enabled')}>{t('syncEnabled')}</label>
          </div>
          <p>
            <button type="submit">{t('syncSave')}</button>
          </p>
        </Form>
      )}
      {sync && (
        <Form method="post">
          <CsrfField />
          <input type="hidden" name="intent" value="sync-now" />
          <p>
            <button type="submit">{t('syncNow')}</button>
          </p>
        </Form>
      )}

      <h2 id="import-runs">{t('runsTitle')}</h2>
      <Runs runs={runs} t={t} lang={lang} />
    </>
  );
}

function fieldError(t: T, code: string): string {
  const key = `err_${code}` as CatalogImportKey;
  return key in catalogImport.fi ? t(key) : t('err_invalid');
}

type Phase = { kind: 'idle' } | { kind: 'uploading'; loaded: number; total: number } | { kind: 'processing' };

/** The upload form, its progress and its result (the same markup with or without JavaScript). */
function Upload({ t, lang, hint, initial }: { t: T; lang: Lang; hint: string; initial?: UploadResult }) {
  const root = useRoot();
  const revalidator = useRevalidator();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [result, setResult] = useState<UploadResult | undefined>(initial);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const focusResult = useRef(false);
  useEffect(() => setResult(initial), [initial]);
  // After an upload the person is taken to its result (it is also announced by the status region).
  useEffect(() => {
    if (result && focusResult.current) {
      focusResult.current = false;
      resultHeading.current?.focus();
    }
  }, [result]);

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    const input = e.currentTarget.elements.namedItem('file') as HTMLInputElement | null;
    const file = input?.files?.[0];
    e.preventDefault();
    if (!file) {
      setResult({ ok: false, message: t('chooseFile') });
      input?.focus();
      return;
    }
    const xhr = new XMLHttpRequest();
    // The API answers in the page's language (?lang=); the session cookie and the CSRF header authorize it.
    xhr.open('POST', `/api/v1/catalog/import?lang=${lang}`);
    xhr.setRequestHeader('content-type', 'application/json');
    xhr.setRequestHeader('x-csrf-token', root.csrfToken);
    xhr.upload.onprogress = (ev) => setPhase({ kind: 'uploading', loaded: ev.loaded, total: ev.lengthComputable ? ev.total : file.size });
    xhr.upload.onload = () => setPhase({ kind: 'processing' });
    xhr.onload = () => {
      let body: any = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON (a proxy's error page): the general message below.
      }
      if (xhr.status === 200 && body) setResult({ ok: true, report: body as ImportReport });
      else if (body?.error) setResult({ ok: false, message: body.error.message, errors: body.error.errors, errorCount: body.error.errorCount });
      else setResult({ ok: false, message: t('uploadFailed') });
      focusResult.current = true;
      setPhase({ kind: 'idle' });
      void revalidator.revalidate();
    };
    xhr.onerror = () => {
      setResult({ ok: false, message: t('uploadFailed') });
      setPhase({ kind: 'idle' });
    };
    setResult(undefined);
    setPhase({ kind: 'uploading', loaded: 0, total: file.size });
    xhr.send(file);
  };

  const busy = phase.kind !== 'idle';
  return (
    <>
      <Form method="post" encType="multipart/form-data" reloadDocument onSubmit={onSubmit}>
        <CsrfField />
        <input type="hidden" name="intent" value="upload" />
        <div className="field">
          <label htmlFor={fieldId('file')}>{t('fileLabel')}</label>
          <p id={`${fieldId('file')}-hint`} className="hint">
            {hint}
          </p>
          <input id={fieldId('file')} name="file" type="file" accept=".json,application/json" required aria-describedby={`${fieldId('file')}-hint`} />
        </div>
        <p>
          <button type="submit" disabled={busy} aria-disabled={busy || undefined}>
            {t('submit')}
          </button>
        </p>
      </Form>
      {busy && (
        <div className="field">
          <label id="upload-progress-label" htmlFor="upload-progress">
            {t('progressLabel')}
          </label>
          {phase.kind === 'uploading' ? (
            <progress id="upload-progress" max={Math.max(phase.total, 1)} value={phase.loaded} />
          ) : (
            <progress id="upload-progress" />
          )}
        </div>
      )}
      {/* Always in the page, so screen readers announce what is put in it. */}
      <div id="import-status" role="status" aria-live="polite">
        {phase.kind === 'uploading' && <p>{t('uploading')}</p>}
        {phase.kind === 'processing' && <p>{t('processing')}</p>}
        {result && <p>{result.ok ? t('reportOk', { created: result.report.created, updated: result.report.updated, unchanged: result.report.unchanged }) : result.errors?.length ? t('reportFailed') : result.message}</p>}
      </div>
      {result && <ReportView result={result} t={t} headingRef={resultHeading} />}
    </>
  );
}

function ReportView({ result, t, headingRef }: { result: UploadResult; t: T; headingRef: React.RefObject<HTMLHeadingElement | null> }) {
  const report = result.ok ? result.report : undefined;
  const errors = result.ok ? [] : (result.errors ?? []);
  const errorCount = result.ok ? 0 : (result.errorCount ?? errors.length);
  const missing = report ? [...report.services.missingIds, ...report.channels.missingIds] : [];
  return (
    <section id="import-report" aria-labelledby="import-report-title" className={result.ok ? 'notice' : 'alert'}>
      <h3 id="import-report-title" tabIndex={-1} ref={headingRef}>
        {t('reportTitle')}
      </h3>
      {!result.ok && <p>{result.message}</p>}
      {report && (
        <TableWrap label={t('reportTitle')}>
          <table>
            <caption className="visually-hidden">{t('reportTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colKind')}</th>
                <th scope="col">{t('colCreated')}</th>
                <th scope="col">{t('colUpdated')}</th>
                <th scope="col">{t('colUnchanged')}</th>
                <th scope="col">{t('colMissing')}</th>
              </tr>
            </thead>
            <tbody>
              {(['services', 'channels'] as const).map((kind) => (
                <tr key={kind}>
                  <th scope="row">{t(kind === 'services' ? 'kindServices' : 'kindChannels')}</th>
                  <td data-count={`${kind}-created`}>{report[kind].created}</td>
                  <td data-count={`${kind}-updated`}>{report[kind].updated}</td>
                  <td data-count={`${kind}-unchanged`}>{report[kind].unchanged}</td>
                  <td data-count={`${kind}-missing`}>{report[kind].missing}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t('kindOrganizations')}</th>
                <td data-count="organizations-created">{report.organizations.created}</td>
                <td data-count="organizations-updated">{report.organizations.updated}</td>
                <td data-count="organizations-unchanged">{report.organizations.unchanged}</td>
                <td>–</td>
              </tr>
            </tbody>
          </table>
        </TableWrap>
      )}
      {errors.length > 0 && <IssueList title={t('errorsTitle', { count: errorCount })} issues={errors} t={t} />}
      {errorCount > errors.length && <p>{t('errorsMore', { shown: errors.length, count: errorCount })}</p>}
      {report && report.warnings.length > 0 && <IssueList title={t('warningsTitle', { count: report.warnings.length })} issues={report.warnings} t={t} />}
      {report && report.missing > 0 && (
        <>
          <h4>{t('missingTitle', { count: report.missing })}</h4>
          <p>{t('missingHint')}</p>
          <ul>
            {missing.map((id) => (
              <li key={id}>
                <code>{id}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The reader's language for reasons the validator knows; its English message for the rest. */
const ISSUE_TEXT = {
  required: 'issueRequired',
  expected_type: 'issueExpectedType',
  one_of: 'issueOneOf',
  format: 'issueFormat',
  too_few: 'issueTooFew',
  too_long: 'issueTooLong',
  too_many: 'issueTooMany',
  empty: 'issueEmpty',
  expected_number: 'issueExpectedNumber',
  expected_date: 'issueExpectedDate',
  expected_time: 'issueExpectedTime',
  expected_phone: 'issueExpectedPhone',
  expected_prefix: 'issueExpectedPrefix',
  name_required: 'issueNameRequired',
  not_object: 'issueNotObject',
  duplicate_id: 'issueDuplicateId',
  link_skipped: 'issueLinkSkipped',
} as const;

function IssueReason({ issue, t }: { issue: ImportIssue; t: T }) {
  const key = issue.code && issue.code !== 'other' ? ISSUE_TEXT[issue.code] : undefined;
  return key ? <span>{t(key, issue.params)}</span> : <span lang="en">{issue.message}</span>;
}

/** Paths name fields of the PTV format and stay as they are. */
function IssueList({ title, issues, t }: { title: string; issues: ImportIssue[]; t: T }) {
  return (
    <>
      <h4>{title}</h4>
      <ul className="import-issues">
        {issues.map((e, i) => (
          <li key={`${e.path}-${i}`}>
            <span className="visually-hidden">{t('errorAt')} </span>
            <code>{e.path}</code>: <IssueReason issue={e} t={t} />
          </li>
        ))}
      </ul>
    </>
  );
}

function Runs({ runs, t, lang }: { runs: ImportRunListItem[]; t: T; lang: Lang }) {
  if (runs.length === 0) return <p>{t('noRuns')}</p>;
  const source = { upload: t('sourceUpload'), api: t('sourceApi'), sync: t('sourceSync') };
  return (
    <TableWrap label={t('runsTitle')}>
      <table>
        <caption className="visually-hidden">{t('runsTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('colWhen')}</th>
            <th scope="col">{t('colSource')}</th>
            <th scope="col">{t('colWho')}</th>
            <th scope="col">{t('colResult')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const first = r.report.errors?.[0];
            return (
              <tr key={r.id}>
                <td>{formatHelsinki(r.startedAt, lang)}</td>
                <td>{source[r.source]}</td>
                <td>{r.actorLabel ?? ''}</td>
                <td>
                  {r.status === 'succeeded' && (
                    <span className="badge">
                      {t('resultOk', { created: r.report.created ?? 0, updated: r.report.updated ?? 0, unchanged: r.report.unchanged ?? 0 })}
                    </span>
                  )}
                  {r.status === 'failed' && (
                    <>
                      <span className="badge danger">{t('resultFailed', { count: r.report.errorCount ?? r.report.errors?.length ?? 0 })}</span>
                      {first && (
                        <>
                          <br />
                          {t('firstError')} <code>{first.path}</code>: <IssueReason issue={first} t={t} />
                        </>
                      )}
                    </>
                  )}
                  {r.status === 'running' && <span className="badge">{t('resultRunning')}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

export { AdminErrorBoundary as ErrorBoundary };
