import { contentDisposition } from '../../platform/http.ts';
import type { ApiRoutes } from '../../server/app.ts';
import { AppError } from '../../platform/errors.ts';
import { isLang, type Lang } from '../../platform/i18n.ts';
import { ALLOWED_TYPES } from '../feedback/attachments.ts';
import { checkCookieCsrf, conversationForResident, objectBody, residentConversation } from './chat-api.ts';
import { CHAT_ATTACHMENT_MAX_BYTES } from './chat.ts';

/**
 * The rest of the resident's chat API (start, read, send and the stream are in
 * chat-api.ts, with the same authentication): availability, "talk to a person", typing,
 * attachments, transcript, end and rating, and "leave a message".
 */

/** Headers of a private download: never cached by others, never sniffed, never framed as a page. */
const PRIVATE = { 'cache-control': 'private, no-store', 'referrer-policy': 'same-origin', 'x-robots-tag': 'noindex' };


/** The embed script's own words (the button and the frame's title), per language. */
const EMBED_LABELS = {
  fi: { open: 'Chat', title: 'Chat-asiakaspalvelu' },
  sv: { open: 'Chatt', title: 'Chattkundtjänst' },
  en: { open: 'Chat', title: 'Chat with customer service' },
} as const;

/**
 * The script another site of the tenant includes with one tag:
 * <script src="https://<tenant host>/embed/chat.js" data-lang="fi" async></script>.
 * It adds a button that opens the chat page (?embed=1) in a frame. The frame is allowed
 * only on the origins in the chat settings (frame-ancestors), so copying the tag to an
 * unlisted site shows a refused frame, not the chat. Esc or the chat's close button closes
 * it and returns focus to the button.
 */
function embedScript(defaultLang: Lang, languages: readonly Lang[]): string {
  return `(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__aukioChat) return;
  window.__aukioChat = true;
  var base = new URL(script.src).origin;
  var langs = ${JSON.stringify(languages)};
  var lang = script.getAttribute('data-lang');
  if (langs.indexOf(lang) < 0) lang = ${JSON.stringify(defaultLang)};
  var labels = ${JSON.stringify(EMBED_LABELS)}[lang];
  var button = document.createElement('button');
  button.type = 'button';
  button.textContent = labels.open;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('data-aukio-chat', 'launcher');
  button.style.cssText = 'position:fixed;right:1rem;bottom:1rem;z-index:2147483000;min-height:44px;min-width:44px;padding:.6rem 1.2rem;border-radius:999px;border:2px solid #fff;background:#003479;color:#fff;font:600 1rem/1.2 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.35);cursor:pointer';
  var wrap = null;
  function place() {
    if (!wrap) return;
    var small = window.matchMedia('(max-width: 480px)').matches;
    wrap.style.cssText = small
      ? 'position:fixed;inset:0;z-index:2147483001;background:#fff'
      : 'position:fixed;right:1rem;bottom:4.5rem;width:min(400px,calc(100vw - 2rem));height:min(620px,calc(100vh - 6rem));z-index:2147483001;background:#fff;border:2px solid #003479;border-radius:8px;box-shadow:0 4px 16px rgba(0,0,0,.35);overflow:hidden';
  }
  function open() {
    if (wrap) return;
    wrap = document.createElement('div');
    wrap.setAttribute('data-aukio-chat', 'panel');
    var frame = document.createElement('iframe');
    frame.src = base + '/' + lang + '/chat?embed=1';
    frame.title = labels.title;
    frame.style.cssText = 'width:100%;height:100%;border:0;display:block';
    frame.addEventListener('load', function () { frame.focus(); });
    wrap.appendChild(frame);
    place();
    button.parentNode.insertBefore(wrap, button.nextSibling);
    button.setAttribute('aria-expanded', 'true');
  }
  function close() {
    if (!wrap) return;
    wrap.parentNode.removeChild(wrap);
    wrap = null;
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  }
  button.addEventListener('click', function () { wrap ? close() : open(); });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape' && wrap) close(); });
  window.addEventListener('resize', place);
  window.addEventListener('message', function (e) {
    if (e.origin === base && e.data && e.data.type === 'aukio-chat:close') close();
  });
  function mount() { document.body.appendChild(button); }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
})();
`;
}

export const chatResidentApi: ApiRoutes = (app, services) => {
  const { chat, db } = services;

  // Uploads come as the file's own bytes (the widget sends the File as the body); the type
  // is read from the bytes later, so the declared one only has to be one of these.
  app.addContentTypeParser(['application/octet-stream', ...ALLOWED_TYPES], { parseAs: 'buffer', bodyLimit: CHAT_ATTACHMENT_MAX_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  app.get('/embed/chat.js', async (req, reply) => {
    const { tenant } = req.aukio;
    return reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(embedScript(tenant.defaultLanguage, tenant.languages));
  });

  app.get('/api/v1/chat/status', async (req, reply) => {
    const q = (req.query ?? {}) as { lang?: unknown };
    const lang: Lang = isLang(q.lang) && req.aukio.tenant.languages.includes(q.lang) ? q.lang : req.aukio.lang;
    const status = await chat.status(db, req.aukio.tenant.id, lang);
    // Presence changes by the minute; a short cache is enough to absorb page loads.
    return reply.header('cache-control', 'private, max-age=15').send(status);
  });

  app.post<{ Params: { id: string } }>('/api/v1/chat/conversations/:id/handoff', { config: { csrf: false } }, async (req, reply) => {
    checkCookieCsrf(req);
    const c = await conversationForResident(services, req, req.params.id);
    const updated = await chat.handoff(c);
    return reply.header('cache-control', 'no-store').send({ conversation: residentConversation(updated), queue: await chat.queue(db, updated) });
  });

  app.post<{ Params: { id: string } }>('/api/v1/chat/conversations/:id/close', { config: { csrf: false } }, async (req, reply) => {
    checkCookieCsrf(req);
    const c = await conversationForResident(services, req, req.params.id);
    const updated = await chat.close(c);
    return reply.header('cache-control', 'no-store').send({ conversation: residentConversation(updated) });
  });

  app.post<{ Params: { id: string } }>('/api/v1/chat/conversations/:id/typing', { config: { csrf: false } }, async (req, reply) => {
    checkCookieCsrf(req);
    const c = await conversationForResident(services, req, req.params.id);
    const forwarded = await chat.typing(c);
    return reply.code(202).send({ forwarded });
  });

  app.post<{ Params: { id: string } }>('/api/v1/chat/conversations/:id/rating', { config: { csrf: false } }, async (req, reply) => {
    checkCookieCsrf(req);
    const c = await conversationForResident(services, req, req.params.id);
    const b = objectBody(req);
    const updated = await chat.rate(c, { score: b.score, comment: b.comment });
    return reply.header('cache-control', 'no-store').send({ conversation: residentConversation(updated), csatComment: updated.csatComment });
  });

  app.post<{ Params: { id: string } }>('/api/v1/chat/conversations/:id/attachments', { config: { csrf: false } }, async (req, reply) => {
    checkCookieCsrf(req);
    const c = await conversationForResident(services, req, req.params.id);
    if (!Buffer.isBuffer(req.body)) throw new AppError('unsupported_media_type', 415);
    const header = req.headers['x-filename'];
    let filename = 'attachment';
    if (typeof header === 'string' && header) {
      try {
        filename = decodeURIComponent(header);
      } catch {
        throw new AppError('validation_failed', 400, { fields: { filename: 'invalid' } });
      }
    }
    const attachment = await chat.upload(c, { filename, data: new Uint8Array(req.body) });
    return reply.code(201).header('cache-control', 'no-store').send({ attachment });
  });

  app.get<{ Params: { id: string; aid: string } }>('/api/v1/chat/conversations/:id/attachments/:aid', async (req, reply) => {
    const c = await conversationForResident(services, req, req.params.id);
    const a = await chat.attachment(db, c.tenantId, c.id, req.params.aid);
    if (!a) throw new AppError('not_found', 404);
    // Pictures may show in the chat; anything else (PDF) is only ever downloaded.
    const inline = a.contentType.startsWith('image/');
    return reply
      .headers({
        ...PRIVATE,
        'content-type': a.contentType,
        'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', a.filename),
        'content-security-policy': "default-src 'none'; sandbox",
      })
      .send(Buffer.from(a.data));
  });

  app.get<{ Params: { id: string } }>('/api/v1/chat/conversations/:id/transcript', async (req, reply) => {
    const c = await conversationForResident(services, req, req.params.id);
    const q = (req.query ?? {}) as { lang?: unknown };
    const lang: Lang = isLang(q.lang) ? q.lang : c.lang;
    const text = await chat.transcript(c, lang, req.aukio.origin);
    return reply
      .headers({
        ...PRIVATE,
        'content-type': 'text/plain; charset=utf-8',
        'content-disposition': contentDisposition('attachment', `chat-${c.number}.txt`),
        'content-security-policy': "default-src 'none'; sandbox",
      })
      .send(text);
  });

  /** Nobody on duty: the message becomes an e-mail conversation answered by e-mail. */
  app.post('/api/v1/chat/offline-messages', { config: { csrf: false } }, async (req, reply) => {
    checkCookieCsrf(req);
    const b = objectBody(req);
    const { tenant, actor, lang: requestLang } = req.aukio;
    const lang: Lang = isLang(b.lang) && tenant.languages.includes(b.lang) ? b.lang : requestLang;
    const c = await chat.leaveMessage(tenant.id, actor, { lang, name: b.name, email: b.email, body: b.body, ip: req.ip });
    return reply.code(201).header('cache-control', 'no-store').send({ conversation: { number: c.number, channel: c.channel, status: c.status } });
  });
};
