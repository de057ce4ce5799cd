import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatStatus, QueueInfo } from '../../modules/inbox/chat.ts';
import type { ResidentConversation } from '../../modules/inbox/chat-api.ts';
import type { Message } from '../../modules/inbox/model.ts';
import type { Lang } from '../../platform/i18n.ts';

/**
 * The widget's connection to the chat API. The visitor token lives in localStorage per
 * tenant, so a chat survives page loads. Every outgoing message gets its own client id and
 * is retried with the same id until the server acknowledges it (the server returns the
 * first copy for a repeated id, so a retry never duplicates). Incoming messages are kept by
 * their number (seq): a message seen twice is shown once, and a reconnecting stream asks
 * for everything after the last number it has (the browser sends Last-Event-ID; a manual
 * reconnect passes after=).
 */

export type ResidentMessage = Omit<Message, 'authorId'>;
export interface Outgoing {
  clientId: string;
  body: string;
  attachments: string[];
  state: 'sending' | 'failed';
}
export interface Upload {
  id: string;
  filename: string;
}
interface Stored {
  id: string;
  token: string;
}

export class ChatHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(code);
  }
}

const storageKey = (tenantId: string) => `aukio-chat:${tenantId}`;

function readStored(tenantId: string): Stored | null {
  try {
    const v = JSON.parse(localStorage.getItem(storageKey(tenantId)) ?? 'null') as Stored | null;
    return v && typeof v.id === 'string' && typeof v.token === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** A client message id matching ^[A-Za-z0-9_-]{1,64}$. */
export function newClientId(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID().replace(/-/g, '');
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function call<T>(method: string, url: string, opts: { token?: string; json?: unknown; body?: Blob; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
  if (opts.token) headers['x-chat-token'] = opts.token;
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.body) {
    body = opts.body;
  }
  const res = await fetch(url, { method, headers, body, credentials: 'same-origin' });
  const data = (await res.json().catch(() => ({}))) as { error?: { code?: string; fields?: Record<string, string> } };
  if (!res.ok) throw new ChatHttpError(res.status, data.error?.code ?? 'error', data.error?.fields ?? {});
  return data as T;
}

export function useChat(opts: { lang: Lang; tenantId: string; active: boolean; origin?: string | null }) {
  const { lang, tenantId, active } = opts;
  const [status, setStatus] = useState<ChatStatus | null>(null);
  const [stored, setStored] = useState<Stored | null>(null);
  const [conversation, setConversation] = useState<ResidentConversation | null>(null);
  const [messages, setMessages] = useState<ResidentMessage[]>([]);
  const [outgoing, setOutgoing] = useState<Outgoing[]>([]);
  const [queue, setQueue] = useState<QueueInfo | null>(null);
  const [typing, setTyping] = useState<{ name: string | null } | null>(null);
  const [connection, setConnection] = useState<'idle' | 'ok' | 'reconnecting'>('idle');
  const [loaded, setLoaded] = useState(false);
  const lastSeq = useRef(0);
  const source = useRef<EventSource | null>(null);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastTypingSent = useRef(0);
  const announceFrom = useRef(Number.MAX_SAFE_INTEGER);
  const onIncoming = useRef<(m: ResidentMessage) => void>(() => {});

  const addMessages = useCallback((list: ResidentMessage[]) => {
    if (!list.length) return;
    setMessages((prev) => {
      const bySeq = new Map(prev.map((m) => [m.seq, m]));
      for (const m of list) bySeq.set(m.seq, m);
      return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    });
    for (const m of list) {
      if (m.seq > lastSeq.current) lastSeq.current = m.seq;
      if (m.clientId) setOutgoing((o) => o.filter((x) => x.clientId !== m.clientId));
    }
  }, []);

  const disconnect = useCallback(() => {
    source.current?.close();
    source.current = null;
    if (retryTimer.current) clearTimeout(retryTimer.current);
    retryTimer.current = null;
  }, []);

  const forget = useCallback(() => {
    disconnect();
    try {
      localStorage.removeItem(storageKey(tenantId));
    } catch {
      /* storage may be off: the chat then lasts one page */
    }
    setStored(null);
    setConversation(null);
    setMessages([]);
    setOutgoing([]);
    setQueue(null);
    setTyping(null);
    setConnection('idle');
    lastSeq.current = 0;
  }, [disconnect, tenantId]);

  const refresh = useCallback(
    async (s: Stored) => {
      const r = await call<{ conversation: ResidentConversation; queue: QueueInfo | null; messages: ResidentMessage[] }>(
        'GET',
        `/api/v1/chat/conversations/${s.id}?after=${lastSeq.current}`,
        { token: s.token },
      );
      setConversation(r.conversation);
      setQueue(r.queue);
      addMessages(r.messages);
      return r;
    },
    [addMessages],
  );

  const connect = useCallback(
    (s: Stored) => {
      disconnect();
      const es = new EventSource(`/api/v1/chat/conversations/${s.id}/stream?token=${encodeURIComponent(s.token)}&after=${lastSeq.current}`);
      source.current = es;
      es.onopen = () => setConnection('ok');
      es.addEventListener('message', (e) => {
        const m = JSON.parse((e as MessageEvent).data) as ResidentMessage;
        addMessages([m]);
        if (m.seq >= announceFrom.current) onIncoming.current(m);
        if (m.authorKind === 'agent') setTyping(null);
      });
      es.addEventListener('conversation', (e) => {
        const d = JSON.parse((e as MessageEvent).data) as Partial<ResidentConversation> & { conversationId?: string };
        setConversation((c) => (c ? { ...c, ...(d.status ? { status: d.status } : {}), ...(d.number ? d : {}) } : c));
        // Status changes also change the queue; the stream sends `queue` when it moved.
      });
      es.addEventListener('queue', (e) => {
        const d = JSON.parse((e as MessageEvent).data) as { queue: QueueInfo | null };
        setQueue(d.queue);
      });
      es.addEventListener('typing', (e) => {
        const d = JSON.parse((e as MessageEvent).data) as { who?: string; name?: string };
        if (d.who !== 'agent') return;
        setTyping({ name: d.name ?? null });
        if (typingTimer.current) clearTimeout(typingTimer.current);
        typingTimer.current = setTimeout(() => setTyping(null), 5000);
      });
      es.onerror = () => {
        // The browser reconnects by itself (with Last-Event-ID) unless the stream was
        // refused; then we ask again after a pause, from the last number we have.
        setConnection('reconnecting');
        if (es.readyState !== EventSource.CLOSED) return;
        if (retryTimer.current) return;
        retryTimer.current = setTimeout(async () => {
          retryTimer.current = null;
          try {
            await refresh(s);
            connect(s);
          } catch (err) {
            if (err instanceof ChatHttpError && err.status === 404) forget();
            else connect(s);
          }
        }, 3000);
      };
    },
    [addMessages, disconnect, forget, refresh],
  );

  // Load status and any stored conversation once the widget is in use.
  useEffect(() => {
    if (!active || loaded) return;
    setLoaded(true);
    call<ChatStatus>('GET', `/api/v1/chat/status?lang=${lang}`)
      .then(setStatus)
      .catch(() => setStatus(null));
    const s = readStored(tenantId);
    if (!s) return;
    setStored(s);
    refresh(s)
      .then((r) => {
        announceFrom.current = (r.messages[r.messages.length - 1]?.seq ?? 0) + 1;
        connect(s);
      })
      .catch((err) => {
        if (err instanceof ChatHttpError && err.status === 404) forget();
      });
  }, [active, loaded, lang, tenantId, refresh, connect, forget]);

  useEffect(() => () => disconnect(), [disconnect]);

  const post = useCallback(
    async (s: Stored, o: Outgoing) => {
      setOutgoing((list) => list.map((x) => (x.clientId === o.clientId ? { ...x, state: 'sending' } : x)));
      // Two tries a second apart before the resident is asked; the id stays the same.
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          const r = await call<{ message: ResidentMessage }>('POST', `/api/v1/chat/conversations/${s.id}/messages`, {
            token: s.token,
            json: { clientId: o.clientId, body: o.body, ...(o.attachments.length ? { attachments: o.attachments } : {}) },
          });
          addMessages([r.message]);
          return;
        } catch (err) {
          if (err instanceof ChatHttpError && err.status >= 400 && err.status < 500 && err.status !== 429) break;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
      setOutgoing((list) => list.map((x) => (x.clientId === o.clientId ? { ...x, state: 'failed' } : x)));
    },
    [addMessages],
  );

  const start = useCallback(
    async (input: { name?: string; human?: boolean } = {}) => {
      const r = await call<{ conversation: ResidentConversation; token: string }>('POST', '/api/v1/chat/conversations', {
        json: { lang, ...(input.name ? { name: input.name } : {}), ...(input.human ? { human: true } : {}), ...(opts.origin ? { origin: opts.origin } : {}) },
      });
      const s = { id: r.conversation.id, token: r.token };
      try {
        localStorage.setItem(storageKey(tenantId), JSON.stringify(s));
      } catch {
        /* without storage the chat lasts this page */
      }
      lastSeq.current = 0;
      announceFrom.current = 1;
      setStored(s);
      setConversation(r.conversation);
      setMessages([]);
      connect(s);
      return s;
    },
    [connect, lang, opts.origin, tenantId],
  );

  const send = useCallback(
    async (body: string, attachments: Upload[] = []) => {
      const s = stored ?? (await start());
      const o: Outgoing = { clientId: newClientId(), body, attachments: attachments.map((a) => a.id), state: 'sending' };
      setOutgoing((list) => [...list, o]);
      await post(s, o);
    },
    [post, start, stored],
  );

  const retry = useCallback(
    (clientId: string) => {
      const o = outgoing.find((x) => x.clientId === clientId);
      if (o && stored) void post(stored, o);
    },
    [outgoing, post, stored],
  );

  const upload = useCallback(
    async (file: File): Promise<Upload> => {
      const s = stored ?? (await start());
      const r = await call<{ attachment: Upload }>('POST', `/api/v1/chat/conversations/${s.id}/attachments`, {
        token: s.token,
        body: file,
        headers: { 'content-type': 'application/octet-stream', 'x-filename': encodeURIComponent(file.name) },
      });
      return r.attachment;
    },
    [start, stored],
  );

  const action = useCallback(
    async (path: 'handoff' | 'close', _body?: unknown) => {
      if (!stored) return;
      const r = await call<{ conversation: ResidentConversation; queue?: QueueInfo | null }>('POST', `/api/v1/chat/conversations/${stored.id}/${path}`, {
        token: stored.token,
        json: {},
      });
      setConversation(r.conversation);
      if (r.queue !== undefined) setQueue(r.queue);
      await refresh(stored).catch(() => {});
    },
    [refresh, stored],
  );

  const rate = useCallback(
    async (score: number, comment: string) => {
      if (!stored) return;
      const r = await call<{ conversation: ResidentConversation }>('POST', `/api/v1/chat/conversations/${stored.id}/rating`, {
        token: stored.token,
        json: { score, comment },
      });
      setConversation(r.conversation);
    },
    [stored],
  );

  const typingNow = useCallback(() => {
    if (!stored || !conversation || conversation.status === 'bot' || conversation.status === 'resolved') return;
    const now = Date.now();
    if (now - lastTypingSent.current < 2500) return;
    lastTypingSent.current = now;
    void call('POST', `/api/v1/chat/conversations/${stored.id}/typing`, { token: stored.token, json: {} }).catch(() => {});
  }, [conversation, stored]);

  const leaveMessage = useCallback(
    (input: { name: string; email: string; body: string }) =>
      call<{ conversation: { number: number } }>('POST', '/api/v1/chat/offline-messages', { json: { lang, ...input } }),
    [lang],
  );

  return {
    status,
    stored,
    conversation,
    messages,
    outgoing,
    queue,
    typing,
    connection,
    onIncoming,
    start,
    send,
    retry,
    upload,
    handoff: () => action('handoff'),
    end: () => action('close'),
    rate,
    typingNow,
    leaveMessage,
    forget,
    attachmentUrl: (aid: string) => (stored ? `/api/v1/chat/conversations/${stored.id}/attachments/${aid}?token=${encodeURIComponent(stored.token)}` : '#'),
    transcriptUrl: () => (stored ? `/api/v1/chat/conversations/${stored.id}/transcript?lang=${lang}&token=${encodeURIComponent(stored.token)}` : '#'),
  };
}

export type ChatState = ReturnType<typeof useChat>;
