import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import type { ReactNode } from 'react';
import { caseCategory } from '../../modules/feedback/console.ts';
import { CASE_STATUSES, isFinished, type CaseEvent, type CaseStatus } from '../../modules/feedback/model.ts';
import { AppError } from '../../platform/errors.ts';
import { pick, type Lang } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { Open311CaseFacts } from '../staff/Open311CaseFacts.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { formStrings } from '../staff/admin-page.ts';
import {
  AccessibilityFlag,
  Due,
  errText,
  fbAction,
  FbBreadcrumbs,
  FbField,
  FbNotice,
  FbProblem,
  requireFeedbackPage,
  statusName,
  StatusBadge,
  useFbText,
  when,
  type FbFailure,
  type FT,
} from '../staff/feedback-ui.tsx';
import type { FeedbackStaffKey } from '../i18n/feedback-staff.ts';
import { runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/**
 * One case: what the resident wrote, where, attachments, contact details (reading them
 * is audited by services.feedback.get), the history with internal entries marked, and
 * the handling forms. Every form is a plain POST to this page's action (intent=…), so
 * the page works without JavaScript; success redirects back with a notice.
 */
const NOTICES = ['status', 'assign', 'note', 'reply', 'transfer', 'public_pending', 'public_published', 'unpublish', 'merge'] as const;

export async function loader({ context, params, request }: LoaderArgs) {
  const { lang, user } = requireFeedbackPage(context, request, params);
  const s = context.services;
  const tenantId = context.tenant.id;
  return runLoader(async () => {
    const c = await s.feedback.get(context.actor, tenantId, params.id ?? '', { ip: context.ip });
    const [category, assignees, units, duplicates, suggestion, moderator] = await Promise.all([
      caseCategory(s.db, tenantId, c.categoryId),
      s.feedback.assignees(s.db, tenantId, c.orgUnitId),
      s.orgUnits.rows(tenantId, lang),
      s.feedbackDuplicates.suggestions(context.actor, tenantId, c.id),
      c.allowPublic ? s.feedbackPublication.suggestion(context.actor, tenantId, c.id) : Promise.resolve(null),
      s.feedbackPublication.isModerator(s.db, user, tenantId, c.orgUnitId),
    ]);
    const notice = new URL(request.url).searchParams.get('notice');
    const attributes = (category?.attributes ?? [])
      .filter((a) => c.attributes[a.code] !== undefined)
      .map((a) => {
        const v = c.attributes[a.code];
        const values = (Array.isArray(v) ? v : [v]).map((x) => {
          const opt = a.values.find((o) => o.key === x);
          return opt ? pick(opt.name, lang).text : x;
        });
        return { code: a.code, label: pick(a.description, lang).text || a.code, value: values.join(', ') };
      });
    // Values whose attribute has since been removed from the category still show, by code.
    for (const [code, v] of Object.entries(c.attributes)) {
      if (!attributes.some((a) => a.code === code)) attributes.push({ code, label: code, value: [v].flat().join(', ') });
    }
    return {
      lang,
      c: {
        ...c,
        category: pick(c.categoryNames, lang),
        unit: pick(c.orgUnitNames, lang),
      },
      attributes,
      assignees,
      units: units.map((u) => ({ id: u.id, name: pick(u.names, lang).text })),
      duplicates,
      suggestion,
      moderator,
      notice: NOTICES.includes(notice as (typeof NOTICES)[number]) ? (notice as (typeof NOTICES)[number]) : null,
    };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireFeedbackPage(context, request, params);
  const form = await request.formData();
  const v = formStrings(form);
  const intent = v.intent ?? '';
  const id = params.id ?? '';
  const s = context.services;
  const tenantId = context.tenant.id;
  const actor = context.actor;
  const ctx = { ip: context.ip, origin: context.origin };
  const back = (notice: string) => redirect(`/${lang}/staff/feedback/cases/${id}?notice=${notice}`);
  return fbAction(lang, intent, v, async () => {
    switch (intent) {
      case 'status':
        await s.feedback.setStatus(actor, tenantId, id, v.status, ctx);
        return back('status');
      case 'assign':
        await s.feedback.assign(actor, tenantId, id, v.userId || null, ctx);
        return back('assign');
      case 'note':
        await s.feedback.addNote(actor, tenantId, id, v.body, ctx);
        return back('note');
      case 'reply':
        await s.feedback.reply(actor, tenantId, id, { body: v.body, status: v.status || undefined }, ctx);
        return back('reply');
      case 'transfer':
        await s.feedback.transfer(actor, tenantId, id, { orgUnitId: v.orgUnitId, reason: v.reason }, ctx);
        // The case may now be outside this person's units: back to the queue.
        return redirect(`/${lang}/staff/feedback/cases?notice=transfer`);
      case 'public': {
        const r = await s.feedbackPublication.propose(actor, tenantId, id, { publicDescription: v.publicDescription, publicAnswer: v.publicAnswer, publish: v.publish === '1' }, ctx);
        return back(r.publication === 'published' ? 'public_published' : 'public_pending');
      }
      case 'unpublish':
        await s.feedbackPublication.unpublish(actor, tenantId, id, v.reason, ctx);
        return back('unpublish');
      case 'merge':
        // Either another case into this one (duplicate=other) or this one into another (into=other).
        if (v.duplicate) await s.feedbackDuplicates.merge(actor, tenantId, v.duplicate, id, ctx);
        else await s.feedbackDuplicates.merge(actor, tenantId, id, v.into, ctx);
        return back('merge');
      default:
        throw new AppError('validation_failed', 400, { fields: { intent: 'invalid' } });
    }
  });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function FeedbackCase() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData() as FbFailure | undefined;
  const t = useFbText();
  const { lang, c } = d;
  const osm = c.lat !== null && c.lon !== null ? `https://www.openstreetmap.org/?mlat=${c.lat}&mlon=${c.lon}#map=18/${c.lat}/${c.lon}` : null;
  const title = t('caseTitle', { number: c.number });
  return (
    <>
      <title>{`${title} – ${c.category.text}`}</title>
      <FbBreadcrumbs
        t={t}
        items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/feedback/cases`, label: t('queueTitle') }, { label: title }]}
      />
      <h1>
        {title}: <span lang={c.category.lang !== lang ? c.category.lang : undefined}>{c.category.text}</span>
      </h1>
      {d.notice && !failure && <FbNotice>{t(`notice_${d.notice}` as FeedbackStaffKey)}</FbNotice>}
      {failure && <FbProblem message={failure.message} />}

      <section aria-labelledby="fb-summary" className="fb-summary">
        <h2 id="fb-summary" className="visually-hidden">
          {t('caseSummary')}
        </h2>
        <dl>
          <div>
            <dt>{t('colStatus')}</dt>
            <dd>
              <StatusBadge status={c.status} lang={lang} />
            </dd>
          </div>
          <div>
            <dt>{t('due')}</dt>
            <dd>{isFinished(c.status) ? <time dateTime={c.dueAt}>{when(c.dueAt, lang)}</time> : <Due dueAt={c.dueAt} overdue={c.overdue} lang={lang} t={t} />}</dd>
          </div>
          <div>
            <dt>{t('received')}</dt>
            <dd>
              <time dateTime={c.createdAt}>{when(c.createdAt, lang)}</time>
            </dd>
          </div>
          <div>
            <dt>{t('assignedTo')}</dt>
            <dd>{c.assignedToName ?? t('nobody')}</dd>
          </div>
          <div>
            <dt>{t('unit')}</dt>
            <dd lang={c.unit.lang !== lang ? c.unit.lang : undefined}>{c.unit.text}</dd>
          </div>
          <div>
            <dt>{t('channel')}</dt>
            <dd>{t(`channel_${c.channel}` as FeedbackStaffKey)}</dd>
          </div>
          <div>
            <dt>{t('publication')}</dt>
            <dd>{t(`publication_${c.publication}` as FeedbackStaffKey)}</dd>
          </div>
          {c.duplicateOf && (
            <div>
              <dt>{t('duplicateOf')}</dt>
              <dd>
                <a href={`/${lang}/staff/feedback/cases/${c.duplicateOf}`}>{c.duplicateOfNumber}</a>
              </dd>
            </div>
          )}
        </dl>
        {c.accessibility && (
          <p>
            <AccessibilityFlag t={t} />
          </p>
        )}
        <p className="fb-jump">
          <a href="#fb-actions">{t('jumpToActions')}</a>
        </p>
      </section>

      <div className="fb-case">
        <div className="fb-case-main">
          <section aria-labelledby="fb-desc">
            <h2 id="fb-desc">{t('description')}</h2>
            <p className="fb-text" lang={c.lang}>
              {c.description}
            </p>
            {d.attributes.length > 0 && (
              <>
                <h3>{t('details')}</h3>
                <dl className="fb-attrs">
                  {d.attributes.map((a) => (
                    <div key={a.code}>
                      <dt>{a.label}</dt>
                      <dd className="fb-text">{a.value}</dd>
                    </div>
                  ))}
                </dl>
              </>
            )}
            {c.channel === 'open311' && <Open311CaseFacts events={c.events} lang={lang} />}
          </section>

          <section aria-labelledby="fb-loc">
            <h2 id="fb-loc">{t('location')}</h2>
            {c.address || osm ? (
              <>
                {c.address && <p>{c.address}</p>}
                {osm && (
                  <p>
                    {t('coordinates')}: {c.lat?.toFixed(6)}, {c.lon?.toFixed(6)}
                    <br />
                    <a href={osm} target="_blank" rel="noopener noreferrer">
                      {t('openMap')}
                    </a>
                  </p>
                )}
              </>
            ) : (
              <p>{t('noLocation')}</p>
            )}
          </section>

          <section aria-labelledby="fb-att">
            <h2 id="fb-att">{t('attachments')}</h2>
            {c.attachments.length === 0 ? (
              <p>{t('noAttachments')}</p>
            ) : (
              <ul className="fb-attachments">
                {c.attachments.map((a) => {
                  const href = `/${lang}/staff/feedback/attachments/${a.id}`;
                  return (
                    <li key={a.id}>
                      {a.contentType.startsWith('image/') && (
                        <a href={href} className="fb-thumb" tabIndex={-1} aria-hidden="true">
                          <img src={href} alt="" loading="lazy" width={120} height={90} />
                        </a>
                      )}
                      <a href={href}>{a.filename}</a> <span className="fb-muted">({a.contentType}, {Math.max(1, Math.round(a.size / 1024))} kB{a.locationKept ? `, ${t('locationKept')}` : ''})</span>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>

          <section aria-labelledby="fb-contact">
            <h2 id="fb-contact">{t('contact')}</h2>
            <p className="hint">{t('contactNote')}</p>
            {c.contactName || c.contactEmail || c.contactPhone || c.residentId ? (
              <dl className="fb-attrs">
                {c.contactName && (
                  <div>
                    <dt>{t('contactName')}</dt>
                    <dd>{c.contactName}</dd>
                  </div>
                )}
                {c.contactEmail && (
                  <div>
                    <dt>{t('contactEmail')}</dt>
                    <dd>
                      <a href={`mailto:${c.contactEmail}`}>{c.contactEmail}</a>
                    </dd>
                  </div>
                )}
                {c.contactPhone && (
                  <div>
                    <dt>{t('contactPhone')}</dt>
                    <dd>
                      <a href={`tel:${c.contactPhone.replace(/[^+0-9]/g, '')}`}>{c.contactPhone}</a>
                    </dd>
                  </div>
                )}
                {c.residentId && (
                  <div>
                    <dt>{t('residentSignedIn')}</dt>
                    <dd>{t('yes')}</dd>
                  </div>
                )}
              </dl>
            ) : null}
            {!c.contactEmail && <p>{t('contactNone')}</p>}
            {c.fixed && (
              <p>
                <strong>{t('fixedAnswer')}:</strong> {c.fixed === 'yes' ? t('fixedYes') : t('fixedNo')}
                {c.fixedComment && <span className="fb-text"> – {c.fixedComment}</span>}
              </p>
            )}
          </section>

          <History d={d} t={t} />
        </div>

        <section className="fb-case-actions" aria-labelledby="fb-actions">
          <h2 id="fb-actions">{t('actions')}</h2>
          <Actions d={d} t={t} failure={failure} />
        </section>
      </div>
    </>
  );
}

function History({ d, t }: { d: Data; t: FT }) {
  const { lang, c } = d;
  const unitName = (id: unknown) => d.units.find((u) => u.id === id)?.name ?? String(id ?? '');
  const st = (s: unknown) => (CASE_STATUSES.includes(s as CaseStatus) ? statusName(s as CaseStatus, lang) : String(s ?? ''));
  const title = (e: CaseEvent): string => {
    const data = e.data as Record<string, unknown>;
    switch (e.kind) {
      case 'created':
        return t('ev_created');
      case 'status':
        return t('ev_status', { from: st(data.from), to: st(data.to) });
      case 'assigned':
        return data.name ? t('ev_assigned', { name: String(data.name) }) : t('ev_unassigned');
      case 'note':
        return t('ev_note');
      case 'transfer':
        return t('ev_transfer', { from: unitName(data.from), to: unitName(data.to) });
      case 'reply':
        return data.fromResident ? t('ev_residentReply') : t('ev_reply');
      case 'public_answer':
        return t(
          data.action === 'published' ? 'ev_public_published' : data.action === 'rejected' ? 'ev_public_rejected' : data.action === 'unpublished' ? 'ev_public_unpublished' : 'ev_public_proposed',
        );
      case 'merged':
        return data.intoNumber ? t('ev_merged_into', { number: String(data.intoNumber) }) : t('ev_merged_from', { number: String(data.fromNumber ?? '') });
      case 'fixed':
        return t('ev_fixed', { answer: data.fixed === 'yes' ? t('fixedYes') : t('fixedNo') });
      case 'attachment':
        return t('ev_attachment');
    }
  };
  const who = (e: CaseEvent) => e.actorName ?? (e.actorKind === 'resident' || e.actorKind === 'anonymous' ? t('resident') : t('system'));
  return (
    <section aria-labelledby="fb-history">
      <h2 id="fb-history">{t('history')}</h2>
      <ol className="fb-history">
        {[...c.events].reverse().map((e) => (
          <li key={e.id} className={`fb-event fb-event-${e.visibility}`}>
            <p className="fb-event-head">
              <strong>{title(e)}</strong>{' '}
              <span className={`badge fb-vis-${e.visibility}`}>
                {t(e.visibility === 'internal' ? 'internal' : e.visibility === 'public' ? 'visiblePublic' : 'visibleResident')}
              </span>
              <br />
              <span className="fb-muted">
                <time dateTime={e.createdAt}>{when(e.createdAt, lang)}</time> {t('by', { name: who(e) })}
              </span>
            </p>
            {e.kind === 'public_answer' && typeof (e.data as Record<string, unknown>).publicDescription === 'string' && (
              <p className="fb-text fb-quote">{String((e.data as Record<string, unknown>).publicDescription)}</p>
            )}
            {e.body && <p className="fb-text">{e.body}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Actions({ d, t, failure }: { d: Data; t: FT; failure: FbFailure | undefined }) {
  const { lang, c } = d;
  const f = (intent: string) => (failure?.intent === intent ? failure : undefined);
  const err = (intent: string, field: string) => errText(t, f(intent)?.fields[field]);
  const val = (intent: string, field: string, fallback = '') => f(intent)?.values[field] ?? fallback;
  const statuses = CASE_STATUSES.filter((s) => s !== 'duplicate');
  return (
    <>
      <ActionBox id="fb-a-status" title={t('setStatus')}>
        <IntentForm intent="status" noValidate>
          <FbField id="status" label={t('newStatus')} hint={c.contactEmail ? t('statusEmailed') : undefined} error={err('status', 'status')} t={t}>
            {(aria) => (
              <select {...aria} name="status" defaultValue={val('status', 'status', c.status)}>
                <StatusOptions statuses={statuses} lang={lang} />
              </select>
            )}
          </FbField>
          <button type="submit">{t('saveStatus')}</button>
        </IntentForm>
      </ActionBox>

      <ActionBox id="fb-a-assign" title={t('assign')}>
        <IntentForm intent="assign" noValidate>
          <FbField id="userId" label={t('assignTo')} error={err('assign', 'assignedTo')} t={t}>
            {(aria) => (
              <select {...aria} name="userId" defaultValue={val('assign', 'userId', c.assignedTo ?? '')}>
                <option value="">{t('assignNobody')}</option>
                {d.assignees.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            )}
          </FbField>
          <button type="submit" className="secondary">
            {t('saveAssign')}
          </button>
        </IntentForm>
      </ActionBox>

      <ActionBox id="fb-a-reply" title={t('reply')}>
        <IntentForm intent="reply" noValidate>
          <FbField id="reply-body" label={t('replyBody')} hint={c.contactEmail ? t('replyHint') : t('contactNone')} error={err('reply', 'body')} t={t}>
            {(aria) => <textarea {...aria} name="body" rows={5} maxLength={4000} defaultValue={val('reply', 'body')} />}
          </FbField>
          <FbField id="reply-status" label={t('replyStatus')} error={err('reply', 'status')} t={t}>
            {(aria) => (
              <select {...aria} name="status" defaultValue={val('reply', 'status')}>
                <option value="">{t('replyKeepStatus')}</option>
                <StatusOptions statuses={statuses} lang={lang} />
              </select>
            )}
          </FbField>
          <button type="submit">{t('sendReply')}</button>
        </IntentForm>
      </ActionBox>

      <ActionBox id="fb-a-note" title={t('note')}>
        <IntentForm intent="note" noValidate>
          <FbField id="note-body" label={t('note')} hint={t('noteHint')} error={err('note', 'body')} t={t}>
            {(aria) => <textarea {...aria} name="body" rows={3} maxLength={4000} defaultValue={val('note', 'body')} />}
          </FbField>
          <button type="submit" className="secondary">
            {t('addNote')}
          </button>
        </IntentForm>
      </ActionBox>

      <ActionBox id="fb-a-transfer" title={t('transfer')}>
        <IntentForm intent="transfer" noValidate>
          <FbField id="transfer-unit" label={t('transferUnit')} error={err('transfer', 'orgUnitId')} t={t}>
            {(aria) => (
              <select {...aria} name="orgUnitId" defaultValue={val('transfer', 'orgUnitId')}>
                <option value="">{t('chooseUnit')}</option>
                {d.units
                  .filter((u) => u.id !== c.orgUnitId)
                  .map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
              </select>
            )}
          </FbField>
          <FbField id="transfer-reason" label={t('transferReason')} error={err('transfer', 'reason')} t={t}>
            {(aria) => <textarea {...aria} name="reason" rows={2} maxLength={1000} defaultValue={val('transfer', 'reason')} />}
          </FbField>
          <button type="submit" className="secondary">
            {t('doTransfer')}
          </button>
        </IntentForm>
      </ActionBox>

      <ActionBox id="fb-a-public" title={t('publicAnswer')}>
        {!c.allowPublic || !d.suggestion ? (
          <p>{t('publicNotAllowed')}</p>
        ) : (
          <>
            <p>
              <strong>{t('publication')}:</strong> {t(`publication_${c.publication}` as FeedbackStaffKey)}
            </p>
            <IntentForm intent="public" noValidate>
              <p className="hint" id="public-hint">
                {t('publicHint')}
              </p>
              <FbField id="publicDescription" label={t('publicDescription')} error={err('public', 'publicDescription')} t={t}>
                {(aria) => <textarea {...aria} name="publicDescription" rows={4} maxLength={4000} defaultValue={val('public', 'publicDescription', d.suggestion!.publicDescription)} />}
              </FbField>
              <FbField id="publicAnswer" label={t('publicAnswerText')} error={err('public', 'publicAnswer')} t={t}>
                {(aria) => <textarea {...aria} name="publicAnswer" rows={4} maxLength={4000} defaultValue={val('public', 'publicAnswer', d.suggestion!.publicAnswer)} />}
              </FbField>
              <div className="fb-buttons">
                <button type="submit">{t('sendToModeration')}</button>
                {d.moderator && (
                  <button type="submit" name="publish" value="1" className="secondary">
                    {t('publishNow')}
                  </button>
                )}
              </div>
            </IntentForm>
            {c.publication === 'published' && (
              <IntentForm intent="unpublish">
                <button type="submit" className="secondary">
                  {t('unpublish')}
                </button>
              </IntentForm>
            )}
          </>
        )}
      </ActionBox>

      <ActionBox id="fb-a-dups" title={t('duplicates')}>
        <p className="hint">{t('duplicatesHint')}</p>
        {f('merge') && (
          <p className="field-error">
            <span className="visually-hidden">{t('errorPrefix')} </span>
            {errText(t, Object.values(f('merge')!.fields)[0]) ?? f('merge')!.message}
          </p>
        )}
        {c.lat === null ? (
          <p>{t('noLocationDuplicates')}</p>
        ) : d.duplicates.length === 0 ? (
          <p>{t('noDuplicates')}</p>
        ) : (
          <ul className="fb-dups">
            {d.duplicates.map((x) => (
              <li key={x.id}>
                <p>
                  <a href={`/${lang}/staff/feedback/cases/${x.id}`}>{t('caseTitle', { number: x.number })}</a> · {t('distance', { m: x.distance })} ·{' '}
                  <StatusBadge status={x.status} lang={lang} /> · <time dateTime={x.createdAt}>{when(x.createdAt, lang)}</time>
                  <br />
                  <span className="fb-excerpt">{x.excerpt}</span>
                </p>
                {c.status !== 'duplicate' && (
                  <div className="fb-buttons">
                    <IntentForm intent="merge">
                      <input type="hidden" name="duplicate" value={x.id} />
                      <button type="submit" className="secondary small">
                        {t('mergeInto', { number: x.number })}
                      </button>
                    </IntentForm>
                    <IntentForm intent="merge">
                      <input type="hidden" name="into" value={x.id} />
                      <button type="submit" className="secondary small">
                        {t('markDuplicateOf', { number: x.number })}
                      </button>
                    </IntentForm>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </ActionBox>
    </>
  );
}

/** One action of the case page: a titled box (the heading names the region). */
function ActionBox({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="fb-box">
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

/** A full-page post of one intent, with the CSRF field (works without JavaScript). */
function IntentForm({ intent, noValidate, children }: { intent: string; noValidate?: boolean; children: ReactNode }) {
  return (
    <Form method="post" reloadDocument noValidate={noValidate}>
      <CsrfField />
      <input type="hidden" name="intent" value={intent} />
      {children}
    </Form>
  );
}

function StatusOptions({ statuses, lang }: { statuses: readonly CaseStatus[]; lang: Lang }) {
  return (
    <>
      {statuses.map((s) => (
        <option key={s} value={s}>
          {statusName(s, lang)}
        </option>
      ))}
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;

