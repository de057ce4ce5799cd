import { useEffect, useMemo, useRef, useState } from 'react';
import { data, Form, redirect, useActionData, useLoaderData, useRevalidator } from 'react-router';
import type { Message } from '../../modules/inbox/model.ts';
import { STAFF_STATUS_NAMES } from '../../modules/feedback/labels.ts';
import type { CaseStatus } from '../../modules/feedback/model.ts';
import { linkOrigin } from '../../modules/identity/staff-users.ts';
import { AppError, errorMessage, isAppError } from '../../platform/errors.ts';
import { pick, type Lang } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs } from '../staff/catalog-edit-ui.tsx';
import {
  fromHelsinkiInput,
  helsinkiInputValue,
  isTyping,
  ixKey,
  Notice,
  Problem,
  ShortcutsHelp,
  SlaLine,
  StatusBadge,
  useCsrfToken,
  useIxText,
  useShortcutsOn,
  when,
  type IT,
} from '../staff/inbox-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/**
 * One conversation: the messages (notes marked, bot answers labelled with their source,
 * system events as lines), the reply box with the note switch and canned responses, the
 * actions, and a side panel with the contact details and the resident timeline. Opening
 * the page is audited (the conversation read and the timeline read).
 *
 * Every action is a plain form post to this page (intent=…), so it all works without
 * JavaScript; a canned response is inserted without JavaScript through ?canned=<id>,
 * which pre-fills the reply. With JavaScript the page follows the conversation's stream
 * (replay after Last-Event-ID, each message once by its number) and shows typing.
 */
const NOTICES = ['sent', 'note', 'accepted', 'assigned', 'transferred', 'status'] as const;

export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services;
  const tenantId = context.tenant.id;
  const id = params.id ?? '';
  const sp = new URL(request.url).searchParams;
  return runLoader(async () => {
    const view = await s.agentInbox.view(context.actor, tenantId, id, { ip: context.ip });
    const timeline = await s.timeline.forConversation(context.actor, tenantId, id, { ip: context.ip });
    const { agent } = await s.agentInbox.visible(s.db, context.actor, tenantId, id);
    const canned = await s.canned.renderedFor(s.db, tenantId, agent, view.conversation, linkOrigin(s.config.PUBLIC_URL, context.origin));
    const chosen = canned.find((c) => c.id === sp.get('canned'));
    const notice = sp.get('notice');
    return {
      lang,
      me: agent.user.id,
      view,
      teamName: view.team ? pick(view.team.names, lang) : null,
      teams: view.teams.map((t) => ({ id: t.id, name: pick(t.names, lang) })),
      timeline: {
        ...timeline,
        items: timeline.items.map((i) => ({ ...i, titleText: i.titleL10n ? pick(i.titleL10n, lang) : null })),
      },
      canned,
      prefill: chosen?.text ?? '',
      notice: NOTICES.includes(notice as (typeof NOTICES)[number]) ? (notice as (typeof NOTICES)[number]) : null,
      snoozeDefault: helsinkiInputValue(Date.now() + 24 * 3600_000),
    };
  });
}

interface Failure {
  intent: string;
  message: string;
  fields: Record<string, string>;
  values: Record<string, string>;
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services;
  const tenantId = context.tenant.id;
  const actor = context.actor;
  const id = params.id ?? '';
  const form = await request.formData();
  const v: Record<string, string> = {};
  for (const [k, x] of form.entries()) if (typeof x === 'string' && k !== '_csrf') v[k] = x;
  const intent = v.intent ?? '';
  const back = (notice: string) => redirect(`/${lang}/staff/inbox/${id}?notice=${notice}`);
  try {
    switch (intent) {
      case 'reply': {
        const internal = v.internal === '1';
        const attachmentIds: string[] = [];
        const file = form.get('file');
        if (file && typeof file !== 'string' && file.size > 0) {
          const a = await s.agentInbox.uploadBytes(actor, tenantId, id, { filename: file.name, data: new Uint8Array(await file.arrayBuffer()) });
          attachmentIds.push(a.id);
        }
        await s.agentInbox.postMessage(actor, tenantId, id, {
          clientId: v.clientId && /^[A-Za-z0-9_-]{1,64}$/.test(v.clientId) ? v.clientId : `form-${crypto.randomUUID()}`,
          body: v.body ?? '',
          internal,
          ...(attachmentIds.length ? { attachmentIds } : {}),
        });
        return back(internal ? 'note' : 'sent');
      }
      case 'accept':
        await s.agentInbox.accept(actor, tenantId, id);
        return back('accepted');
      case 'assign':
        await s.agentInbox.assign(actor, tenantId, id, { staffUserId: v.staffUserId || null });
        return back('assigned');
      case 'transfer':
        await s.agentInbox.transfer(actor, tenantId, id, { teamId: v.teamId ?? '', note: v.note ?? '' });
        return back('transferred');
      case 'snooze': {
        const until = fromHelsinkiInput(v.snoozedUntil);
        if (!until) throw new AppError('validation_failed', 400, { fields: { snoozedUntil: 'invalid' } });
        await s.agentInbox.setStatus(actor, tenantId, id, { status: 'snoozed', snoozedUntil: until });
        return back('status');
      }
      case 'resolve':
        await s.agentInbox.setStatus(actor, tenantId, id, { status: 'resolved' });
        return back('status');
      case 'reopen':
        await s.agentInbox.setStatus(actor, tenantId, id, { status: 'open' });
        return back('status');
      default:
        throw new AppError('validation_failed', 400, { fields: { intent: 'invalid' } });
    }
  } catch (e) {
    let err: AppError | null = isAppError(e) ? e : null;
    if (!err && e instanceof Error && e.name === 'ZodError') {
      const issues = (e as unknown as { issues: { path: (string | number)[]; code: string }[] }).issues;
      err = new AppError('validation_failed', 400, { fields: Object.fromEntries(issues.map((i) => [String(i.path[0] ?? 'body'), i.code === 'too_big' ? 'too_long' : i.code === 'too_small' ? 'required' : 'invalid'])) });
    }
    if (!err || err.status >= 500) throw e;
    if (err.status === 401 || err.status === 403 || err.status === 404) throw data({ code: err.code }, { status: err.status });
    const fields = (err.details?.fields as Record<string, string> | undefined) ?? {};
    const failure: Failure = { intent, message: errorMessage(err.code, lang), fields, values: v };
    return data(failure, { status: err.status });
  }
}

function errText(t: IT, code: string | undefined): string | undefined {
  if (!code) return undefined;
  const known = ['required', 'invalid', 'future_required', 'taken', 'too_long'];
  return t(ixKey(`err_${known.includes(code) ? code : 'invalid'}`));
}

function botLabel(m: Message, t: IT): string {
  const source = m.data.bot?.source;
  return t(ixKey(source && ['faq', 'catalog', 'miss', 'greeting', 'handoff'].includes(source) ? `bot_${source}` : 'bot_other'));
}

function systemLine(m: Message, t: IT, teamName: (id: unknown) => string): string {
  const ev = m.data.event;
  if (!ev) return '';
  switch (ev.kind) {
    case 'handoff':
      return t('event_handoff', { team: teamName(ev.teamId) });
    case 'assigned':
      return ev.assigneeName ? t(ev.auto ? 'event_assignedAuto' : 'event_assigned', { name: String(ev.assigneeName) }) : t('event_unassigned');
    case 'status':
      return t('event_status', { status: t(ixKey(`status_${String(ev.status)}`)) });
    default:
      return t('event_other', { kind: String(ev.kind) });
  }
}

export default function ConversationPage() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData() as Failure | undefined;
  const t = useIxText();
  const csrf = useCsrfToken();
  const revalidator = useRevalidator();
  const { lang, view } = d;
  const c = view.conversation;
  const [live, setLive] = useState<Map<number, Message>>(new Map());
  const [residentTyping, setResidentTyping] = useState(false);
  const [internal, setInternal] = useState(failure?.intent === 'reply' ? failure.values.internal === '1' : false);
  const [shortcutsOn, setShortcutsOn] = useShortcutsOn();
  const [helpOpen, setHelpOpen] = useState(false);
  const replyRef = useRef<HTMLTextAreaElement>(null);
  const replyFormRef = useRef<HTMLFormElement>(null);
  const acceptRef = useRef<HTMLFormElement>(null);
  const resolveRef = useRef<HTMLFormElement>(null);
  const lastTypingSent = useRef(0);
  const teamName = (tid: unknown) => {
    const tm = d.teams.find((x) => x.id === tid);
    return tm ? tm.name.text : '—';
  };

  // Loader messages plus those the stream brought since, each number once.
  const messages = useMemo(() => {
    const bySeq = new Map<number, Message>();
    for (const m of view.messages) bySeq.set(m.seq, m);
    for (const [seq, m] of live) if (!bySeq.has(seq)) bySeq.set(seq, m);
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }, [view.messages, live]);
  const lastSeq = messages.length ? messages[messages.length - 1].seq : 0;

  useEffect(() => {
    const es = new EventSource(`/api/v1/inbox/stream?conversation=${c.id}&after=${lastSeq}`);
    let typingTimer: ReturnType<typeof setTimeout> | undefined;
    es.addEventListener('message', (e) => {
      const m = JSON.parse((e as MessageEvent).data) as Message;
      if (m.conversationId !== c.id) return;
      setLive((prev) => (prev.has(m.seq) ? prev : new Map(prev).set(m.seq, m)));
      if (m.authorKind === 'resident') setResidentTyping(false);
      void fetch(`/api/v1/inbox/conversations/${c.id}/read`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ seq: m.seq }),
      }).catch(() => undefined);
    });
    es.addEventListener('conversation', (e) => {
      const data = JSON.parse((e as MessageEvent).data) as { conversationId: string };
      if (data.conversationId === c.id) revalidator.revalidate();
    });
    es.addEventListener('typing', (e) => {
      const data = JSON.parse((e as MessageEvent).data) as { conversationId: string; who: string };
      if (data.conversationId !== c.id || data.who !== 'resident') return;
      setResidentTyping(true);
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => setResidentTyping(false), 5000);
    });
    return () => {
      clearTimeout(typingTimer);
      es.close();
    };
    // The stream replays after Last-Event-ID by itself on reconnect; it is opened once per conversation.
  }, [c.id]);

  const onReplyInput = (e: React.FormEvent<HTMLTextAreaElement>) => {
    const el = e.currentTarget;
    // "/shortcut " typed at the caret becomes the canned response.
    const before = el.value.slice(0, el.selectionStart);
    const m = /(^|\s)\/([a-z0-9][a-z0-9_-]*) $/.exec(before);
    const hit = m && d.canned.find((x) => x.shortcut === m[2]);
    if (m && hit) {
      const start = before.length - m[2].length - 2;
      el.value = el.value.slice(0, start) + hit.text + el.value.slice(before.length);
      const caret = start + hit.text.length;
      el.setSelectionRange(caret, caret);
    }
    if (!internal && Date.now() - lastTypingSent.current > 2500) {
      lastTypingSent.current = Date.now();
      void fetch(`/api/v1/inbox/conversations/${c.id}/typing`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: '{}' }).catch(
        () => undefined,
      );
    }
  };

  const insertCanned = (e: React.MouseEvent<HTMLButtonElement>) => {
    const select = document.getElementById('canned-pick') as HTMLSelectElement | null;
    const hit = d.canned.find((x) => x.id === select?.value);
    const el = replyRef.current;
    if (!hit || !el) return;
    e.preventDefault();
    const at = el.selectionStart ?? el.value.length;
    el.value = el.value.slice(0, at) + hit.text + el.value.slice(el.selectionEnd ?? at);
    el.focus();
    el.setSelectionRange(at + hit.text.length, at + hit.text.length);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && e.target === replyRef.current) {
        e.preventDefault();
        replyFormRef.current?.requestSubmit();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e) || !shortcutsOn) return;
      const act = {
        r: () => replyRef.current?.focus(),
        n: () => setInternal((x) => !x),
        a: () => acceptRef.current?.requestSubmit(),
        e: () => resolveRef.current?.requestSubmit(),
        '?': () => setHelpOpen(true),
      }[e.key];
      if (!act) return;
      e.preventDefault();
      act();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [shortcutsOn]);

  const title = t('conversationTitle', { number: c.number });
  const fail = (intent: string) => (failure?.intent === intent ? failure : undefined);
  const replyFail = fail('reply');
  const canAccept = c.assigneeId !== d.me && c.status !== 'bot';
  const finished = c.status === 'resolved';

  return (
    <>
      <title>{`${title} – ${t('inboxTitle')}`}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/inbox`, label: t('backToInbox') }, { label: title }]} />
      <h1>
        {title}
        {c.contactName ? `: ${c.contactName}` : ''}
      </h1>
      {d.notice && !failure && <Notice>{t(ixKey(`notice_${d.notice}`))}</Notice>}
      {failure && <Problem message={Object.keys(failure.fields).length ? t('formError') : failure.message} />}

      <div className="inbox-conversation">
        <div className="inbox-conversation-main">
          <p className="inbox-meta">
            <StatusBadge status={c.status} t={t} /> <span className={`badge inbox-channel inbox-channel-${c.channel}`}>{t(ixKey(`channel_${c.channel}`))}</span>{' '}
            {d.teamName && <span lang={d.teamName.lang !== lang ? d.teamName.lang : undefined}>{d.teamName.text} · </span>}
            <span>
              {t('assigneeLabel')}: {view.assigneeName ?? t('nobody')}
            </span>{' '}
            <SlaLine sla={view.sla} lang={lang} t={t} />
          </p>

          <section aria-labelledby="inbox-messages-title">
            <h2 id="inbox-messages-title">{t('messagesTitle')}</h2>
            {messages.length === 0 ? (
              <p>{t('noMessages')}</p>
            ) : (
              <ol className="inbox-messages">
                {messages.map((m) => (
                  <MessageItem key={m.seq} m={m} t={t} lang={lang} convId={c.id} teamName={teamName} />
                ))}
              </ol>
            )}
            <p className="inbox-typing" role="status">
              {residentTyping ? t('residentTyping') : ''}
            </p>
          </section>

          <section aria-labelledby="inbox-reply-title" className="inbox-reply">
            <h2 id="inbox-reply-title">{t('replyTitle')}</h2>
            {d.canned.length > 0 && (
              <Form method="get" className="inbox-canned-pick">
                <div className="field">
                  <label htmlFor="canned-pick">{t('cannedLabel')}</label>
                  <select id="canned-pick" name="canned" defaultValue="">
                    <option value="">{t('cannedNone')}</option>
                    {d.canned.map((x) => (
                      <option key={x.id} value={x.id}>
                        /{x.shortcut} – {x.title}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit" onClick={insertCanned}>
                  {t('cannedInsert')}
                </button>
              </Form>
            )}
            <Form method="post" encType="multipart/form-data" ref={replyFormRef} className={internal ? 'inbox-reply-form inbox-reply-note' : 'inbox-reply-form'}>
              <CsrfField />
              <input type="hidden" name="intent" value="reply" />
              <div className="field checkbox">
                <input id="reply-internal" type="checkbox" name="internal" value="1" checked={internal} onChange={(e) => setInternal(e.currentTarget.checked)} />
                <label htmlFor="reply-internal">{t('noteToggle')}</label>
              </div>
              <div className="field">
                <label htmlFor="reply-body">{internal ? t('noteLabel') : t('replyLabel')}</label>
                <p id="reply-hint" className="hint">
                  {t('replyHint')}
                </p>
                <textarea
                  id="reply-body"
                  name="body"
                  rows={5}
                  ref={replyRef}
                  key={d.prefill + String(view.messages.length)}
                  defaultValue={replyFail?.values.body ?? d.prefill}
                  onInput={onReplyInput}
                  aria-describedby={replyFail?.fields.body ? 'reply-hint reply-error' : 'reply-hint'}
                  aria-invalid={replyFail?.fields.body ? true : undefined}
                  maxLength={4000}
                />
                {replyFail?.fields.body && (
                  <p id="reply-error" className="field-error">
                    {errText(t, replyFail.fields.body)}
                  </p>
                )}
              </div>
              <div className="field">
                <label htmlFor="reply-file">{t('attachFile')}</label>
                <input id="reply-file" name="file" type="file" accept="image/jpeg,image/png,image/webp,image/gif,application/pdf" />
              </div>
              <button type="submit">{internal ? t('sendNote') : t('send')}</button>
            </Form>
          </section>

          <section aria-labelledby="inbox-actions-title" className="inbox-actions">
            <h2 id="inbox-actions-title">{t('actionsTitle')}</h2>
            <div className="inbox-action-row">
              {canAccept && (
                <Form method="post" ref={acceptRef}>
                  <CsrfField />
                  <input type="hidden" name="intent" value="accept" />
                  <button type="submit">{t('accept')}</button>
                </Form>
              )}
              {!finished ? (
                <Form method="post" ref={resolveRef}>
                  <CsrfField />
                  <input type="hidden" name="intent" value="resolve" />
                  <button type="submit">{t('resolve')}</button>
                </Form>
              ) : (
                <Form method="post">
                  <CsrfField />
                  <input type="hidden" name="intent" value="reopen" />
                  <button type="submit">{t('reopen')}</button>
                </Form>
              )}
            </div>
            {view.teamAgents.length > 0 && (
              <Form method="post" className="inbox-action-form">
                <CsrfField />
                <input type="hidden" name="intent" value="assign" />
                <div className="field">
                  <label htmlFor="assign-to">{t('assignTo')}</label>
                  <select id="assign-to" name="staffUserId" defaultValue={c.assigneeId ?? ''}>
                    <option value="">{t('toQueue')}</option>
                    {view.teamAgents.map((a) => (
                      <option key={a.id} value={a.id}>
                        {a.name} ({t(ixKey(`presence_${a.presence}`))})
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit">{t('assign')}</button>
              </Form>
            )}
            <Form method="post" className="inbox-action-form">
              <CsrfField />
              <input type="hidden" name="intent" value="transfer" />
              <div className="field">
                <label htmlFor="transfer-team">{t('transferTeam')}</label>
                <select id="transfer-team" name="teamId" defaultValue={fail('transfer')?.values.teamId ?? ''}>
                  {d.teams
                    .filter((x) => x.id !== c.teamId)
                    .map((x) => (
                      <option key={x.id} value={x.id} lang={x.name.lang !== lang ? x.name.lang : undefined}>
                        {x.name.text}
                      </option>
                    ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="transfer-note">{t('transferNote')}</label>
                <textarea
                  id="transfer-note"
                  name="note"
                  rows={2}
                  maxLength={2000}
                  required
                  defaultValue={fail('transfer')?.values.note ?? ''}
                  aria-invalid={fail('transfer')?.fields.note ? true : undefined}
                  aria-describedby={fail('transfer')?.fields.note ? 'transfer-note-error' : undefined}
                />
                {fail('transfer')?.fields.note && (
                  <p id="transfer-note-error" className="field-error">
                    {errText(t, fail('transfer')!.fields.note)}
                  </p>
                )}
              </div>
              <button type="submit">{t('transfer')}</button>
            </Form>
            {!finished && (
              <Form method="post" className="inbox-action-form">
                <CsrfField />
                <input type="hidden" name="intent" value="snooze" />
                <div className="field">
                  <label htmlFor="snooze-until">{t('snoozeUntil')}</label>
                  <p id="snooze-hint" className="hint">
                    {t('snoozeHint')}
                  </p>
                  <input
                    id="snooze-until"
                    name="snoozedUntil"
                    type="datetime-local"
                    defaultValue={fail('snooze')?.values.snoozedUntil ?? d.snoozeDefault}
                    aria-describedby={fail('snooze')?.fields.snoozedUntil ? 'snooze-hint snooze-error' : 'snooze-hint'}
                    aria-invalid={fail('snooze')?.fields.snoozedUntil ? true : undefined}
                  />
                  {fail('snooze')?.fields.snoozedUntil && (
                    <p id="snooze-error" className="field-error">
                      {errText(t, fail('snooze')!.fields.snoozedUntil)}
                    </p>
                  )}
                </div>
                <button type="submit">{t('snooze')}</button>
              </Form>
            )}
          </section>
          <ShortcutsHelp t={t} keys={['sc_r', 'sc_n', 'sc_ctrlEnter', 'sc_a', 'sc_e', 'sc_help']} on={shortcutsOn} setOn={setShortcutsOn} open={helpOpen} onToggle={setHelpOpen} />
        </div>

        <aside className="inbox-side" aria-labelledby="inbox-contact-title">
          <h2 id="inbox-contact-title">{t('contactPanel')}</h2>
          <dl className="inbox-facts">
            <div>
              <dt>{t('contactName')}</dt>
              <dd>{c.contactName ?? t('contactUnknown')}</dd>
            </div>
            <div>
              <dt>{t('contactEmail')}</dt>
              <dd>{c.contactEmail ? <a href={`mailto:${c.contactEmail}`}>{c.contactEmail}</a> : t('contactUnknown')}</dd>
            </div>
            {c.residentId && (
              <div>
                <dt>{t('identified')}</dt>
                <dd>✓</dd>
              </div>
            )}
            <div>
              <dt>{t('languageLabel')}</dt>
              <dd>{c.lang.toUpperCase()}</dd>
            </div>
            <div>
              <dt>{t('startedLabel')}</dt>
              <dd>
                <time dateTime={c.createdAt}>{when(c.createdAt, lang)}</time>
              </dd>
            </div>
            {c.snoozedUntil && (
              <div>
                <dt>{t('snoozedUntilLabel')}</dt>
                <dd>
                  <time dateTime={c.snoozedUntil}>{when(c.snoozedUntil, lang)}</time>
                </dd>
              </div>
            )}
          </dl>
          <h2 id="inbox-timeline-title">{t('timelineTitle')}</h2>
          <p className="inbox-muted">{t('timelineIntro', { how: t(ixKey(`matched_${d.timeline.subject.matchedBy}`)) })}</p>
          {d.timeline.items.length === 0 ? (
            <p>{t('timelineEmpty')}</p>
          ) : (
            <ol className="inbox-timeline" aria-labelledby="inbox-timeline-title">
              {d.timeline.items.map((i) => {
                const label =
                  i.kind === 'feedback'
                    ? `${t('feedbackCase', { number: i.number ?? '' })}${i.titleText ? `: ${i.titleText.text}` : ''}`
                    : `${t(ixKey(`channel_${i.channel}`))} #${i.number}${i.title ? `: ${i.title}` : ''}`;
                const status = i.kind === 'conversation' ? t(ixKey(`status_${i.status}`)) : i.status;
                return (
                  <li key={`${i.kind}:${i.id}`} className={i.current ? 'inbox-timeline-current' : undefined}>
                    <time dateTime={i.at}>{when(i.at, lang)}</time>{' '}
                    {i.href && !i.current ? <a href={`/${lang}/staff${i.href}`}>{label}</a> : <span>{label}</span>}
                    <span className="inbox-muted">
                      {' '}
                      · {i.kind === 'feedback' ? <FeedbackStatus status={i.status} lang={lang} /> : status}
                      {i.current ? ` · ${t('timelineCurrent')}` : !i.href ? ` · ${t('timelineNoAccess')}` : ''}
                    </span>
                  </li>
                );
              })}
            </ol>
          )}
        </aside>
      </div>
    </>
  );
}

function FeedbackStatus({ status, lang }: { status: string; lang: Lang }) {
  const names = STAFF_STATUS_NAMES[status as CaseStatus];
  return <>{names ? names[lang] : status}</>;
}

function MessageItem({ m, t, lang, convId, teamName }: { m: Message; t: IT; lang: Lang; convId: string; teamName: (id: unknown) => string }) {
  if (m.authorKind === 'system') {
    return (
      <li className="inbox-msg inbox-msg-system">
        <span>{systemLine(m, t, teamName)}</span> <time dateTime={m.createdAt}>{when(m.createdAt, lang)}</time>
      </li>
    );
  }
  const who = m.authorKind === 'bot' ? botLabel(m, t) : m.authorName || t(ixKey(`author_${m.authorKind}`));
  const transfer = m.data.event?.kind === 'transfer' ? t('event_transfer', { team: teamName(m.data.event.teamId) }) : null;
  return (
    <li className={`inbox-msg inbox-msg-${m.authorKind}${m.internal ? ' inbox-msg-note' : ''}`}>
      <p className="inbox-msg-head">
        <strong>{who}</strong>
        {m.internal && (
          <span className="badge inbox-note-badge">
            <span aria-hidden="true">🔒 </span>
            {t('internalNote')}
          </span>
        )}{' '}
        <time dateTime={m.createdAt}>{when(m.createdAt, lang)}</time>
      </p>
      {transfer && <p className="inbox-msg-event">{transfer}</p>}
      {m.body && <p className="inbox-msg-body">{m.body}</p>}
      {m.data.cards && m.data.cards.length > 0 && (
        <ul className="inbox-cards">
          {m.data.cards.map((card) => (
            <li key={card.id} lang={card.lang !== lang ? card.lang : undefined}>
              <a href={card.href}>{card.name}</a>
              {card.summary && <span> – {card.summary}</span>}
              {card.hours && <span className="inbox-muted"> ({card.hours})</span>}
            </li>
          ))}
        </ul>
      )}
      {m.data.attachments && m.data.attachments.length > 0 && (
        <ul className="inbox-attachments">
          {m.data.attachments.map((a) => (
            <li key={a.id}>
              <a href={`/api/v1/inbox/conversations/${convId}/attachments/${a.id}`} download={a.filename}>
                {t('attachment', { name: a.filename })}
              </a>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
