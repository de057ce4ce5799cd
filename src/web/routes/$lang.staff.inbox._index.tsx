import { useEffect, useRef, useState } from 'react';
import { Form, redirect, useActionData, useLoaderData, useRevalidator } from 'react-router';
import type { InboxItem } from '../../modules/inbox/inbox.ts';
import { LIST_STATUSES } from '../../modules/inbox/list-filter.ts';
import { PRESENCE } from '../../modules/inbox/model.ts';
import { AppError, errorMessage, isAppError } from '../../platform/errors.ts';
import { pick, type Lang } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { fieldId } from '../staff/admin-page.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs } from '../staff/catalog-edit-ui.tsx';
import { isTyping, ixKey, Notice, Problem, ShortcutsHelp, SlaLine, StatusBadge, useIxText, useShortcutsOn, when, type IT } from '../staff/inbox-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';
import { data } from 'react-router';

/**
 * The agent inbox: chat and e-mail conversations and feedback cases in one list. Filters
 * are a plain GET form and the status tabs plain links (bookmarkable, no JavaScript
 * needed); the presence switch is a form post. With JavaScript the list follows the
 * inbox stream and re-reads itself when something changes.
 */
const KEYS = ['status', 'team', 'channel', 'assignee', 'q', 'sla'] as const;

export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const sp = new URL(request.url).searchParams;
  const raw = Object.fromEntries(KEYS.map((k) => [k, sp.get(k) ?? ''])) as Record<(typeof KEYS)[number], string>;
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const s = context.services;
  return runLoader(async () => {
    const list = await s.agentInbox.list(context.actor, context.tenant.id, { ...raw, page });
    const [presence, teams] = await Promise.all([s.agentInbox.presence(context.actor, context.tenant.id), s.agentInbox.teamsFor(context.actor, context.tenant.id)]);
    const notice = sp.get('notice');
    return {
      lang,
      raw,
      list,
      presence,
      teams: teams.map((t) => ({ id: t.id, name: pick(t.names, lang) })),
      notice: notice === 'presence' ? { assigned: Math.max(0, Number(sp.get('assigned')) || 0) } : null,
    };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const form = await request.formData();
  const status = String(form.get('presence') ?? '');
  const capacityRaw = String(form.get('capacity') ?? '');
  try {
    const r = await context.services.agentInbox.setPresence(context.actor, context.tenant.id, {
      status,
      ...(capacityRaw ? { capacity: Number(capacityRaw) } : {}),
    });
    const back = new URL(request.url);
    back.searchParams.set('notice', 'presence');
    back.searchParams.set('assigned', String(r.assigned));
    return redirect(`${back.pathname}${back.search}`);
  } catch (e) {
    const err = isAppError(e) ? e : e instanceof Error && e.name === 'ZodError' ? new AppError('validation_failed', 400) : null;
    if (!err || err.status >= 500) throw e;
    if (err.status === 401 || err.status === 403) throw data({ code: err.code }, { status: err.status });
    return data({ message: errorMessage(err.code, lang) }, { status: err.status });
  }
}

function itemTitle(i: InboxItem, lang: Lang, t: IT): { text: string; lang?: Lang } {
  if (i.kind === 'feedback') {
    const c = pick(i.categoryNames, lang);
    return { text: `${t('feedbackCase', { number: i.number })}: ${c.text}`, lang: c.lang !== lang ? c.lang : undefined };
  }
  return { text: i.contactName || i.subject || t('anonymous') };
}

export default function InboxPage() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData() as { message: string } | undefined;
  const t = useIxText();
  const { lang, raw, list } = d;
  const revalidator = useRevalidator();
  const [changes, setChanges] = useState(0);
  const [shortcutsOn, setShortcutsOn] = useShortcutsOn();
  const [helpOpen, setHelpOpen] = useState(false);
  const listRef = useRef<HTMLUListElement>(null);

  // Live: any conversation or message event re-reads the list (debounced).
  useEffect(() => {
    const es = new EventSource('/api/v1/inbox/stream');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bump = () => {
      setChanges((n) => n + 1);
      clearTimeout(timer);
      timer = setTimeout(() => revalidator.revalidate(), 800);
    };
    es.addEventListener('message', bump);
    es.addEventListener('conversation', bump);
    return () => {
      clearTimeout(timer);
      es.close();
    };
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e) || !shortcutsOn) return;
      if (e.key === '?') {
        setHelpOpen(true);
        e.preventDefault();
        return;
      }
      if (e.key !== 'j' && e.key !== 'k') return;
      const links = [...(listRef.current?.querySelectorAll<HTMLAnchorElement>('a.inbox-row-link') ?? [])];
      if (!links.length) return;
      const at = links.indexOf(document.activeElement as HTMLAnchorElement);
      const next = e.key === 'j' ? Math.min(links.length - 1, at + 1) : Math.max(0, at === -1 ? 0 : at - 1);
      links[next].focus();
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [shortcutsOn]);

  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  const tabHref = (status: string) => `?${new URLSearchParams({ ...raw, status })}`;
  const pageHref = (p: number) => `?${new URLSearchParams({ ...raw, page: String(p) })}`;
  const currentTab = raw.status || 'active';

  return (
    <>
      <title>{t('inboxTitle')}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t('inboxTitle') }]} />
      <div className="inbox-head">
        <h1>{t('inboxTitle')}</h1>
        <Form method="post" className="inbox-presence" reloadDocument={false}>
          <CsrfField />
          <fieldset>
            <legend>{t('presenceLabel')}</legend>
            <div className="inbox-presence-options">
              {PRESENCE.map((p) => (
                <div className="field radio" key={p}>
                  <input type="radio" id={`presence-${p}`} name="presence" value={p} defaultChecked={d.presence.status === p} />
                  <label htmlFor={`presence-${p}`}>
                    <span className={`inbox-dot inbox-dot-${p}`} aria-hidden="true" /> {t(ixKey(`presence_${p}`))}
                  </label>
                </div>
              ))}
            </div>
            <div className="field inbox-capacity">
              <label htmlFor="presence-capacity">{t('capacityLabel')}</label>
              <input id="presence-capacity" name="capacity" type="number" min={0} max={100} defaultValue={d.presence.capacity} inputMode="numeric" />
            </div>
            <button type="submit">{t('presenceSave')}</button>
          </fieldset>
          <p className="inbox-muted">{t('presenceNow', { status: t(ixKey(`presence_${d.presence.status}`)), open: d.presence.openCount, capacity: d.presence.capacity })}</p>
        </Form>
      </div>
      <p>{t('inboxIntro')}</p>
      {d.notice && <Notice>{d.notice.assigned > 0 ? t('notice_presenceAssigned', { count: d.notice.assigned }) : t('notice_presence')}</Notice>}
      {failure && <Problem message={failure.message} />}

      <nav aria-label={t('statusTabs')} className="inbox-tabs">
        <ul>
          {LIST_STATUSES.map((s) => (
            <li key={s}>
              <a href={tabHref(s)} aria-current={currentTab === s ? 'true' : undefined}>
                {t(ixKey(`tab_${s}`))} <span className="inbox-count">({list.counts[s]})</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <form method="get" className="toolbar inbox-filters" aria-label={t('filterTitle')}>
        <input type="hidden" name="status" value={currentTab} />
        <div className="field">
          <label htmlFor={fieldId('q')}>{t('filterSearch')}</label>
          <input id={fieldId('q')} name="q" type="search" defaultValue={raw.q} />
        </div>
        {d.teams.length > 1 && (
          <div className="field">
            <label htmlFor={fieldId('team')}>{t('filterTeam')}</label>
            <select id={fieldId('team')} name="team" defaultValue={raw.team}>
              <option value="">{t('filterAll')}</option>
              {d.teams.map((tm) => (
                <option key={tm.id} value={tm.id} lang={tm.name.lang !== lang ? tm.name.lang : undefined}>
                  {tm.name.text}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={fieldId('channel')}>{t('filterChannel')}</label>
          <select id={fieldId('channel')} name="channel" defaultValue={raw.channel}>
            <option value="">{t('filterAll')}</option>
            {(['chat', 'email', 'feedback'] as const).map((c) => (
              <option key={c} value={c}>
                {t(ixKey(`channel_${c}`))}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={fieldId('assignee')}>{t('filterAssignee')}</label>
          <select id={fieldId('assignee')} name="assignee" defaultValue={raw.assignee}>
            <option value="">{t('filterAll')}</option>
            <option value="me">{t('assigneeMe')}</option>
            <option value="unassigned">{t('assigneeNobody')}</option>
          </select>
        </div>
        <div className="field checkbox">
          <input id={fieldId('sla')} type="checkbox" name="sla" value="breached" defaultChecked={raw.sla === 'breached'} />
          <label htmlFor={fieldId('sla')}>{t('filterSla')}</label>
        </div>
        <button type="submit">{t('filterApply')}</button>
      </form>

      <div className="inbox-list-head">
        <p>
          <strong>{t('resultCount', { count: list.total })}</strong>
        </p>
        <p role="status" className="inbox-live">
          {changes > 0 ? t('liveUpdates', { count: changes }) : ''}
        </p>
      </div>

      <section aria-label={t('listLabel')} className="inbox-list-region">
        {list.items.length === 0 ? (
          <p>{t('noResults')}</p>
        ) : (
          <ul className="inbox-list" ref={listRef}>
            {list.items.map((i) => {
              const title = itemTitle(i, lang, t);
              const href = i.kind === 'feedback' ? `/${lang}/staff/feedback/cases/${i.id}` : `/${lang}/staff/inbox/${i.id}`;
              const team = i.teamNames ? pick(i.teamNames, lang) : null;
              return (
                <li key={`${i.kind}:${i.id}`} className={`inbox-row${i.unread > 0 ? ' inbox-row-unread' : ''}${i.sla.breached ? ' inbox-row-breached' : ''}`}>
                  <div className="inbox-row-main">
                    <a className="inbox-row-link" href={href}>
                      <span lang={title.lang}>{title.text}</span>
                      {i.kind === 'conversation' && <span className="inbox-ref"> #{i.number}</span>}
                    </a>
                    {i.unread > 0 && <span className="badge inbox-unread">{t('unreadBadge', { count: i.unread })}</span>}
                  </div>
                  {i.preview && <p className="inbox-preview">{i.preview}</p>}
                  <p className="inbox-meta">
                    <span className={`badge inbox-channel inbox-channel-${i.channel}`}>{t(ixKey(`channel_${i.channel}`))}</span> <StatusBadge status={i.status} t={t} />{' '}
                    {team && <span lang={team.lang !== lang ? team.lang : undefined}>{team.text} · </span>}
                    <span>{i.assigneeName ?? t('nobody')}</span> · <time dateTime={i.lastActivityAt}>{when(i.lastActivityAt, lang)}</time>{' '}
                    <SlaLine sla={i.sla} lang={lang} t={t} />
                  </p>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      {pages > 1 && (
        <nav aria-label={t('pagination')} className="pager">
          <ul>
            {list.page > 1 && (
              <li>
                <a href={pageHref(list.page - 1)}>{t('previous')}</a>
              </li>
            )}
            <li aria-current="page">{t('pageOf', { page: list.page, pages })}</li>
            {list.page < pages && (
              <li>
                <a href={pageHref(list.page + 1)}>{t('next')}</a>
              </li>
            )}
          </ul>
        </nav>
      )}
      <ShortcutsHelp t={t} keys={['sc_jk', 'sc_enter', 'sc_help']} on={shortcutsOn} setOn={setShortcutsOn} open={helpOpen} onToggle={setHelpOpen} />
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
