import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ChatStatus } from '../../modules/inbox/chat.ts';
import type { Lang } from '../../platform/i18n.ts';
import { chat as chatText, type ChatKey } from '../i18n/chat.ts';
import { translator } from '../i18n/define.ts';
import { useRoot } from '../root.tsx';
import { ChatHttpError, useChat, type ChatState, type ResidentMessage, type Upload } from './chat-client.ts';

type T = (key: ChatKey, vars?: Record<string, string | number>) => string;

const LOCALES: Record<Lang, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const WEEKDAY_KEY = {
  Monday: 'monday',
  Tuesday: 'tuesday',
  Wednesday: 'wednesday',
  Thursday: 'thursday',
  Friday: 'friday',
  Saturday: 'saturday',
  Sunday: 'sunday',
} as const;

const clock = (iso: string, lang: Lang) =>
  new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'Europe/Helsinki', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
const when = (iso: string, lang: Lang) =>
  new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'Europe/Helsinki', weekday: 'long', day: 'numeric', month: 'numeric', hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  );

/**
 * The chat on every resident page: a "Chat" link to the chat page until the page's script
 * runs, then a button that opens the panel beside the page (a non-modal dialog: focus moves
 * into it, Esc closes it and focus returns to the button). Full screen on a phone.
 */
export function ChatWidget() {
  const { lang, tenant } = useRoot();
  const t = translator(chatText, lang);
  const [enhanced, setEnhanced] = useState(false);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  useEffect(() => setEnhanced(true), []);
  const chat = useChat({ lang, tenantId: tenant.id, active: open });

  const close = () => {
    setOpen(false);
    // After the panel is gone, the button is where the resident was.
    requestAnimationFrame(() => button.current?.focus());
  };

  if (!enhanced) {
    return (
      <div className="chat-launcher-wrap">
        <a className="chat-launcher" href={`/${lang}/chat`}>
          {t('openChat')}
        </a>
      </div>
    );
  }
  return (
    <div className="chat-launcher-wrap">
      <button ref={button} type="button" className="chat-launcher" aria-expanded={open} aria-controls={open ? panelId : undefined} onClick={() => (open ? close() : setOpen(true))}>
        {t('openChat')}
      </button>
      {open && (
        <div id={panelId} className="chat-floating">
          <ChatPanel chat={chat} lang={lang} t={t} onClose={close} autoFocus />
        </div>
      )}
    </div>
  );
}

/** The chat itself: used by the floating widget, the chat page (with JavaScript) and the embed. */
export function ChatPanel({ chat, lang, t, onClose, autoFocus }: { chat: ChatState; lang: Lang; t: T; onClose?: () => void; autoFocus?: boolean }) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [live, setLive] = useState('');
  useEffect(() => {
    if (autoFocus) heading.current?.focus();
  }, [autoFocus]);
  // Only what others say is announced; the resident knows what they wrote.
  chat.onIncoming.current = (m: ResidentMessage) => {
    if (m.authorKind === 'resident') return;
    const line = m.authorKind === 'system' ? systemLine(m, t) : t('newMessageFrom', { name: author(m, t), text: m.body || (m.data.cards ?? []).map((c) => c.name).join(', ') });
    if (line) setLive(line);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && onClose) {
      e.stopPropagation();
      onClose();
    }
  };
  const c = chat.conversation;
  return (
    <section className="chat-panel" role="dialog" aria-modal="false" aria-labelledby={headingId} onKeyDown={onKeyDown}>
      <header className="chat-head">
        <h2 id={headingId} ref={heading} tabIndex={-1}>
          {t('title')}
        </h2>
        {onClose && (
          <button type="button" className="chat-close secondary" onClick={onClose}>
            {t('closeChat')}
          </button>
        )}
      </header>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {live}
      </div>
      <StatusLine status={chat.status} lang={lang} t={t} />
      {chat.status && !chat.status.enabled && !c ? (
        <p>{t('disabled')}</p>
      ) : c ? (
        <Conversation chat={chat} lang={lang} t={t} />
      ) : (
        <StartView chat={chat} lang={lang} t={t} />
      )}
    </section>
  );
}

function StatusLine({ status, lang, t }: { status: ChatStatus | null; lang: Lang; t: T }) {
  if (!status) return <p className="chat-status">{t('loading')}</p>;
  if (!status.enabled) return null;
  const state = availabilityLine(status, t, lang);
  return (
    <div className="chat-status">
      <p>
        <span className={status.available ? 'chat-dot chat-dot-on' : 'chat-dot'} aria-hidden="true" />
        {state}
      </p>
      {!status.alwaysOpen && status.week.length > 0 && (
        <details className="chat-hours">
          <summary>{status.team ? t('hoursOf', { team: status.team.name }) : t('hoursTitle')}</summary>
          <HoursList status={status} t={t} />
        </details>
      )}
    </div>
  );
}

/** Open with someone there, open but nobody there, or closed (and when it opens). */
export function availabilityLine(status: ChatStatus, t: T, lang: Lang): string {
  if (!status.openNow) return `${t('closedNow')}${status.nextOpening ? ` ${t('opensAt', { when: when(status.nextOpening, lang) })}` : ''}`;
  if (status.agentsOnline === 0) return t('openNobody');
  return status.alwaysOpen ? t('alwaysOpen') : t('openNow');
}

export function HoursList({ status, t }: { status: Pick<ChatStatus, 'week'>; t: T }) {
  return (
    <dl className="chat-hours-list">
      {status.week.map((d, i) => (
        <div key={d.date}>
          <dt>
            {t(WEEKDAY_KEY[d.weekday])}
            {i === 0 ? ` (${t('today')})` : ''}
          </dt>
          <dd>{d.intervals.length ? d.intervals.map((x) => `${x.from}–${x.to}`).join(', ') : t('closedDay')}</dd>
        </div>
      ))}
    </dl>
  );
}

function StartView({ chat, lang, t }: { chat: ChatState; lang: Lang; t: T }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const s = chat.status;
  if (!s) return null;
  const canChat = s.available || s.botEnabled;
  const begin = async () => {
    setBusy(true);
    setError('');
    try {
      await chat.start({ human: !s.botEnabled });
    } catch (e) {
      setError(e instanceof ChatHttpError && e.status === 429 ? t('tooMany') : t('errorGeneric'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="chat-start">
      {canChat && (
        <>
          <p className="hint">{t('startHint')}</p>
          <button type="button" onClick={begin} disabled={busy}>
            {s.available ? t('start') : t('startBot')}
          </button>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </>
      )}
      {!s.available && <OfflineForm chat={chat} lang={lang} t={t} />}
    </div>
  );
}

function OfflineForm({ chat, t }: { chat: ChatState; lang: Lang; t: T }) {
  const id = useId();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<number | null>(null);
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const doneRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (done !== null) doneRef.current?.focus();
  }, [done]);
  if (done !== null) {
    return (
      <p className="notice" role="status" tabIndex={-1} ref={doneRef}>
        {t('offlineDone', { number: done })}
      </p>
    );
  }
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const input = { name: String(f.get('name') ?? ''), email: String(f.get('email') ?? ''), body: String(f.get('body') ?? '') };
    setBusy(true);
    setFailure('');
    try {
      const r = await chat.leaveMessage(input);
      setErrors({});
      setDone(r.conversation.number);
    } catch (err) {
      if (err instanceof ChatHttpError && err.code === 'validation_failed') setErrors(err.fields);
      else setFailure(err instanceof ChatHttpError && err.status === 429 ? t('tooMany') : t('errorGeneric'));
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (name: string) => {
    const code = errors[name];
    if (!code) return null;
    const text = code === 'required' ? t('errorRequired') : code === 'too_long' ? t('errorTooLong') : name === 'email' ? t('errorEmail') : t('errorGeneric');
    return (
      <p id={`${id}-${name}-error`} className="field-error">
        <span className="visually-hidden">{t('errorPrefix')} </span>
        {text}
      </p>
    );
  };
  const described = (name: string) => (errors[name] ? `${id}-${name}-error` : undefined);
  return (
    <form className="chat-offline" onSubmit={submit} noValidate>
      <h3>{t('offlineTitle')}</h3>
      <p>{t('offlineIntro')}</p>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('offlineName')}</label>
        <input id={`${id}-name`} type="text" name="name" autoComplete="name" aria-invalid={errors.name ? true : undefined} aria-describedby={described('name')} />
        {fieldError('name')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-email`}>{t('offlineEmail')}</label>
        <input
          id={`${id}-email`}
          name="email"
          type="email"
          autoComplete="email"
          required
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={described('email')}
        />
        {fieldError('email')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-body`}>{t('offlineMessage')}</label>
        <textarea id={`${id}-body`} name="body" rows={4} required maxLength={4000} aria-invalid={errors.body ? true : undefined} aria-describedby={described('body')} />
        {fieldError('body')}
      </div>
      <button type="submit" disabled={busy}>
        {t('offlineSend')}
      </button>
    </form>
  );
}

function author(m: ResidentMessage, t: T): string {
  if (m.authorKind === 'resident') return t('you');
  if (m.authorKind === 'bot') return t('bot');
  return m.authorName || t('agent');
}

/** A system event as the resident reads it ("Maija joined."). Empty for events they need not see. */
export function systemLine(m: Pick<ResidentMessage, 'data'>, t: T): string {
  const e = m.data.event;
  if (!e) return '';
  if (e.kind === 'handoff') return t('handoffEvent');
  if (e.kind === 'assigned') return typeof e.assigneeName === 'string' && e.assigneeName ? t('assignedEvent', { name: e.assigneeName }) : t('assignedNobody');
  if (e.kind === 'transfer') return t('transferEvent');
  if (e.kind === 'status') {
    if (e.status === 'resolved') return t('resolvedEvent');
    if (e.status === 'snoozed') return t('snoozedEvent');
    if (e.status === 'open' || e.status === 'pending') return t('reopenedEvent');
  }
  return '';
}

export function MessageItem({ m, lang, t, attachmentUrl }: { m: ResidentMessage; lang: Lang; t: T; attachmentUrl: (id: string) => string }) {
  if (m.authorKind === 'system') {
    const line = systemLine(m, t);
    if (!line) return null;
    return <li className="chat-msg chat-msg-system">{line}</li>;
  }
  return (
    <li className={`chat-msg chat-msg-${m.authorKind}`}>
      <p className="chat-msg-meta">
        <strong>{author(m, t)}</strong> <time dateTime={m.createdAt}>{clock(m.createdAt, lang)}</time>
      </p>
      {m.body && <p className="chat-msg-body">{m.body}</p>}
      {(m.data.cards ?? []).length > 0 && (
        <ul className="chat-cards">
          {m.data.cards!.map((card) => (
            <li key={`${card.kind}-${card.id}`} className="chat-card" lang={card.lang !== lang ? card.lang : undefined}>
              <a href={card.href}>{card.name}</a>
              {card.summary && <p>{card.summary}</p>}
              {card.hours && <p className="chat-card-hours">{card.hours}</p>}
            </li>
          ))}
        </ul>
      )}
      {(m.data.attachments ?? []).length > 0 && (
        <ul className="chat-attachments">
          {m.data.attachments!.map((a) => (
            <li key={a.id}>
              <a href={attachmentUrl(a.id)} download={a.filename}>
                {t('attachment')}: {a.filename}
              </a>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function Conversation({ chat, lang, t }: { chat: ChatState; lang: Lang; t: T }) {
  const c = chat.conversation!;
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [chat.messages.length, chat.outgoing.length]);
  const ended = c.status === 'resolved';
  return (
    <div className="chat-conversation">
      <p className="chat-reference">{t('reference', { number: c.number })}</p>
      {c.status === 'pending' && <p className="chat-queue">{chat.queue ? t('queued', { position: chat.queue.position, minutes: chat.queue.estimatedWaitMinutes }) : t('queuedNoEstimate')}</p>}
      {chat.connection === 'reconnecting' && <p className="chat-reconnecting">{t('reconnecting')}</p>}
      <h3 className="visually-hidden">{t('messages')}</h3>
      <ol className="chat-messages" ref={list} tabIndex={0} aria-label={t('messages')}>
        {chat.messages.map((m) => (
          <MessageItem key={m.seq} m={m} lang={lang} t={t} attachmentUrl={chat.attachmentUrl} />
        ))}
        {chat.outgoing.map((o) => (
          <li key={o.clientId} className="chat-msg chat-msg-resident chat-msg-outgoing">
            <p className="chat-msg-meta">
              <strong>{t('you')}</strong>
            </p>
            <p className="chat-msg-body">{o.body}</p>
            {o.state === 'sending' ? (
              <p className="chat-msg-state">{t('sending')}</p>
            ) : (
              <p className="chat-msg-state">
                {t('notSent')}{' '}
                <button type="button" className="link-button" onClick={() => chat.retry(o.clientId)}>
                  {t('retry')}
                </button>
              </p>
            )}
          </li>
        ))}
      </ol>
      {chat.typing && <p className="chat-typing">{chat.typing.name ? t('typing', { name: chat.typing.name }) : t('someoneTyping')}</p>}
      {ended ? <Ended chat={chat} t={t} /> : <Composer chat={chat} t={t} />}
      <p className="chat-transcript">
        <a href={chat.transcriptUrl()} download>
          {t('transcript')}
        </a>
      </p>
    </div>
  );
}

function Composer({ chat, t }: { chat: ChatState; t: T }) {
  const id = useId();
  const [text, setText] = useState('');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [uploadError, setUploadError] = useState('');
  const [busy, setBusy] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const c = chat.conversation!;
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const body = text.trim();
    if (!body && !uploads.length) return;
    setText('');
    const files = uploads;
    setUploads([]);
    textarea.current?.focus();
    await chat.send(body, files);
  };
  const onFile = async (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    input.value = '';
    setUploadError('');
    for (const f of files) {
      setBusy(true);
      try {
        const u = await chat.upload(f);
        setUploads((list) => [...list, u]);
      } catch (err) {
        const reason = err instanceof ChatHttpError ? (err.status === 413 ? t('errorTooLong') : err.status === 415 ? t('attach') : t('errorGeneric')) : t('errorGeneric');
        setUploadError(t('uploadFailed', { name: f.name, reason }));
      } finally {
        setBusy(false);
      }
    }
  };
  return (
    <form className="chat-composer" onSubmit={submit}>
      <label htmlFor={`${id}-text`}>{t('messageLabel')}</label>
      <textarea
        id={`${id}-text`}
        ref={textarea}
        rows={2}
        maxLength={4000}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          chat.typingNow();
        }}
        onKeyDown={(e) => {
          // Enter sends, Shift+Enter starts a new line (as in other chats).
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void submit();
          }
        }}
      />
      {uploads.length > 0 && (
        <ul className="chat-uploads">
          {uploads.map((u) => (
            <li key={u.id}>
              {t('attached', { name: u.filename })}{' '}
              <button type="button" className="link-button" onClick={() => setUploads((l) => l.filter((x) => x.id !== u.id))}>
                {t('removeAttachment', { name: u.filename })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {uploadError && (
        <p className="field-error" role="alert">
          {uploadError}
        </p>
      )}
      <div className="chat-file">
        <label htmlFor={`${id}-file`}>{t('attach')}</label>
        <input id={`${id}-file`} type="file" accept="image/jpeg,image/png,image/webp,image/gif,application/pdf" disabled={busy} onChange={(e) => void onFile(e.currentTarget)} />
      </div>
      <div className="chat-actions">
        <button type="submit">{t('send')}</button>
        {c.status === 'bot' && (
          <button type="button" className="secondary" onClick={() => void chat.handoff()}>
            {t('talkToPerson')}
          </button>
        )}
        <button type="button" className="secondary" onClick={() => void chat.end()}>
          {t('endChat')}
        </button>
      </div>
    </form>
  );
}

function Ended({ chat, t }: { chat: ChatState; t: T }) {
  const id = useId();
  const c = chat.conversation!;
  const [error, setError] = useState('');
  const [sent, setSent] = useState(c.csatScore !== null);
  const thanks = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (sent) thanks.current?.focus();
  }, [sent]);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const score = Number(f.get('score'));
    if (!score) {
      setError(t('errorRequired'));
      return;
    }
    try {
      await chat.rate(score, String(f.get('comment') ?? ''));
      setError('');
      setSent(true);
    } catch {
      setError(t('errorGeneric'));
    }
  };
  return (
    <div className="chat-ended">
      <p>{t('endConfirm')}</p>
      {sent ? (
        <p className="notice" role="status" tabIndex={-1} ref={thanks}>
          {t('rateThanks')}
        </p>
      ) : (
        <form onSubmit={submit} className="chat-rating">
          <h3>{t('rateTitle')}</h3>
          <fieldset aria-describedby={error ? `${id}-error` : undefined}>
            <legend>{t('rateLegend')}</legend>
            {([1, 2, 3, 4, 5] as const).map((n) => (
              <div className="radio" key={n}>
                <input type="radio" id={`${id}-s${n}`} name="score" value={n} />
                <label htmlFor={`${id}-s${n}`}>{t(`rate${n}`)}</label>
              </div>
            ))}
          </fieldset>
          {error && (
            <p id={`${id}-error`} className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="field">
            <label htmlFor={`${id}-comment`}>{t('rateComment')}</label>
            <textarea id={`${id}-comment`} name="comment" rows={3} maxLength={2000} />
          </div>
          <p className="hint">{t('rateChangeNote')}</p>
          <button type="submit">{t('rateSend')}</button>
        </form>
      )}
      <button type="button" className="secondary" onClick={() => chat.forget()}>
        {t('newChat')}
      </button>
    </div>
  );
}

/** The chat inline on a page (the chat page with JavaScript, and the embed). */
export function InlineChat({ onClose, origin }: { onClose?: () => void; origin?: string | null }) {
  const { lang, tenant } = useRoot();
  const t = translator(chatText, lang);
  const chat = useChat({ lang, tenantId: tenant.id, active: true, origin });
  return <ChatPanel chat={chat} lang={lang} t={t} onClose={onClose} autoFocus={false} />;
}
