import { useEffect, useState } from 'react';
import { data, redirect, useActionData, useLoaderData } from 'react-router';
import { residentConversation, residentMessage, CHAT_COOKIE } from '../../modules/inbox/chat-api.ts';
import { FRAME_ANCESTORS_HEADER, type ChatAttachment } from '../../modules/inbox/chat.ts';
import { AppError, errorMessage, isAppError } from '../../platform/errors.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { availabilityLine, HoursList, InlineChat, MessageItem } from '../components/ChatWidget.tsx';
import { newClientId } from '../components/chat-client.ts';
import { chat as chatText } from '../i18n/chat.ts';
import { translator } from '../i18n/define.ts';
import { pageLang, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/**
 * The chat as a page. Without JavaScript it is a sequence of form posts: start (which sets
 * the HttpOnly aukio_chat cookie), send (post-redirect-get, with a client id in the form so
 * a double submit is one message), "talk to a person", end, rating, leave a message, and a
 * Refresh link for new replies. With JavaScript the same widget as on every page runs
 * inline. `?embed=1` is the compact layout the embed script frames on the tenant's other
 * sites; only the origins in inbox_settings.allowed_origins may frame it.
 */

export const handle = { chatPage: true };

const PRIVATE = { 'cache-control': 'private, no-store', 'referrer-policy': 'same-origin' };

function cookieToken(request: Request): string | null {
  const raw = request.headers.get('cookie') ?? '';
  for (const part of raw.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === CHAT_COOKIE) {
      try {
        return decodeURIComponent(v.join('='));
      } catch {
        return null;
      }
    }
  }
  return null;
}

function chatCookie(token: string | null, secure: boolean) {
  const attrs = ['Path=/', 'HttpOnly', 'SameSite=Lax', token ? 'Max-Age=86400' : 'Max-Age=0', ...(secure ? ['Secure'] : [])];
  return `${CHAT_COOKIE}=${token ? encodeURIComponent(token) : ''}; ${attrs.join('; ')}`;
}

export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const { services, tenant } = context;
  const url = new URL(request.url);
  const embed = url.searchParams.get('embed') === '1';
  const settings = await services.chat.settings(services.db, tenant.id);
  const status = await services.chat.status(services.db, tenant.id, lang);
  const found = await services.conversations.findByVisitorToken(services.db, tenant.id, cookieToken(request));
  // An e-mail conversation (leave a message) has no cookie; a chat of the cookie only.
  const conversation = found && found.channel === 'chat' ? found : null;
  const messages = conversation
    ? (await services.conversations.messagesAfter(services.db, tenant.id, conversation.id, 0, { includeInternal: false, limit: 1000 })).map(residentMessage)
    : [];
  const queue = conversation ? await services.chat.queue(services.db, conversation) : null;
  const sentNumber = Number(url.searchParams.get('sent'));
  const headers: Record<string, string> = { ...PRIVATE };
  if (embed) headers[FRAME_ANCESTORS_HEADER] = settings.allowedOrigins.join(' ');
  const ratingOpen = conversation ? await services.chat.canRate(services.db, conversation) : false;
  return data(
    {
      lang,
      embed,
      status,
      conversation: conversation ? residentConversation(conversation) : null,
      messages,
      queue,
      ratingOpen,
      sentNumber: Number.isInteger(sentNumber) && sentNumber > 0 ? sentNumber : null,
      // A fresh id per render: posting the same rendered form twice is one message.
      clientId: newClientId(),
      rated: url.searchParams.get('rated') === '1',
    },
    { headers },
  );
}

/** A document response carries only the headers a route passes on: privacy, framing, Retry-After. */
export function headers({ actionHeaders, loaderHeaders }: { actionHeaders: Headers; loaderHeaders: Headers }): Record<string, string> {
  const out: Record<string, string> = { ...PRIVATE };
  const frame = loaderHeaders.get(FRAME_ANCESTORS_HEADER);
  if (frame !== null) out[FRAME_ANCESTORS_HEADER] = frame;
  const retry = actionHeaders.get('retry-after');
  if (retry) out['retry-after'] = retry;
  return out;
}

interface ActionFailure {
  error: { message: string; field: string | null; code: string };
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  const { services, tenant, actor } = context;
  const secure = services.config.COOKIE_SECURE;
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  const str = (k: string) => {
    const v = form.get(k);
    return typeof v === 'string' ? v : '';
  };
  const back = `/${lang}/chat`;
  try {
    if (intent === 'start') {
      const s = await services.chat.settings(services.db, tenant.id);
      if (!s.chatEnabled) throw new AppError('feature_disabled', 403);
      const name = str('name').trim().slice(0, 200) || null;
      const { token } = await services.db.transaction(async (tx) => {
        await services.chat.countStart(tx, tenant.id, context.ip);
        return services.conversations.start(tx, tenant.id, {
          channel: 'chat',
          lang,
          status: s.botEnabled ? 'bot' : 'pending',
          residentId: actor.kind === 'resident' ? actor.resident.id : null,
          contactName: name,
          withVisitorToken: true,
        });
      });
      return redirect(back, { headers: { 'set-cookie': chatCookie(token, secure), ...PRIVATE } });
    }
    if (intent === 'offline') {
      const c = await services.chat.leaveMessage(tenant.id, actor, { lang, name: str('name'), email: str('email'), body: str('body'), ip: context.ip });
      return redirect(`${back}?sent=${c.number}`, { headers: PRIVATE });
    }
    if (intent === 'new') return redirect(back, { headers: { 'set-cookie': chatCookie(null, secure), ...PRIVATE } });

    const conversation = await services.conversations.findByVisitorToken(services.db, tenant.id, cookieToken(request));
    if (!conversation || conversation.channel !== 'chat') throw new AppError('not_found', 404);
    if (intent === 'send') {
      const file = form.get('file');
      const attachments: ChatAttachment[] = [];
      if (file && typeof file !== 'string' && file.size > 0) {
        attachments.push(await services.chat.upload(conversation, { filename: file.name || 'attachment', data: new Uint8Array(await file.arrayBuffer()) }));
      }
      const body = str('body');
      if (body.length > 4000) throw new AppError('validation_failed', 400, { fields: { body: 'too_long' } });
      const clientId = str('clientId') || null;
      const r = await services.db.transaction((tx) =>
        services.conversations.postMessage(tx, tenant.id, conversation.id, {
          clientId,
          authorKind: 'resident',
          authorName: conversation.contactName,
          body,
          data: attachments.length ? { attachments } : undefined,
        }),
      );
      if (!r.duplicate) void services.conversations.residentMessageCommitted(r.conversation, r.message);
      return redirect(`${back}#chat-latest`, { headers: PRIVATE });
    }
    if (intent === 'handoff') {
      await services.chat.handoff(conversation);
      return redirect(back, { headers: PRIVATE });
    }
    if (intent === 'close') {
      await services.chat.close(conversation);
      return redirect(back, { headers: PRIVATE });
    }
    if (intent === 'rate') {
      await services.chat.rate(conversation, { score: str('score'), comment: str('comment') });
      return redirect(`${back}?rated=1`, { headers: PRIVATE });
    }
    throw new AppError('validation_failed', 400, { fields: { intent: 'invalid' } });
  } catch (e) {
    if (!isAppError(e) || e.status >= 500) throw e;
    const fields = (e.details?.fields as Record<string, string> | undefined) ?? {};
    const field = Object.keys(fields)[0] ?? null;
    const failure: ActionFailure = { error: { message: errorMessage(e.code, lang), field, code: fields[field ?? ''] ?? e.code } };
    return data(failure, { status: e.status, headers: { ...PRIVATE, ...(e.headers ?? {}) } });
  }
}

export default function ChatPage() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as ActionFailure | undefined;
  const [enhanced, setEnhanced] = useState(false);
  useEffect(() => setEnhanced(true), []);
  const { lang, status } = d;
  const t = translator(chatText, lang);

  // With JavaScript, the live chat replaces the form flow (unless a chat started without it is open).
  if (enhanced && !d.conversation) {
    return (
      <div className={d.embed ? 'chat-embed' : 'chat-page'}>
        <title>{t('pageTitle')}</title>
        <h1 className={d.embed ? 'visually-hidden' : undefined}>{t('pageTitle')}</h1>
        {!d.embed && <p>{t('intro')}</p>}
        <InlineChat onClose={d.embed ? closeEmbed : undefined} origin={d.embed ? embedOrigin() : null} />
      </div>
    );
  }

  const fieldError = (name: string) =>
    failure?.error.field === name ? (
      <p id={`chat-${name}-error`} className="field-error">
        <span className="visually-hidden">{t('errorPrefix')} </span>
        {errorFor(failure.error.code, name, t) ?? failure.error.message}
      </p>
    ) : null;
  const invalid = (name: string) => (failure?.error.field === name ? { 'aria-invalid': true, 'aria-describedby': `chat-${name}-error` } : {});
  const c = d.conversation;
  const stateLine = availabilityLine(status, t, lang);

  return (
    <div className={d.embed ? 'chat-embed chat-page' : 'chat-page'}>
      <title>{t('pageTitle')}</title>
      <h1>{t('pageTitle')}</h1>
      {!d.embed && <p>{t('intro')}</p>}
      {failure && !failure.error.field && (
        <div className="alert" role="alert">
          <p>{failure.error.message}</p>
        </div>
      )}
      {!status.enabled && !c ? (
        <p>{t('disabled')}</p>
      ) : (
        <>
          <section aria-labelledby="chat-hours-h" className="chat-status">
            <h2 id="chat-hours-h">{status.team ? t('hoursOf', { team: status.team.name }) : t('hoursTitle')}</h2>
            <p>{stateLine}</p>
            {!status.alwaysOpen && <HoursList status={status} t={t} />}
          </section>
          {d.sentNumber && (
            <div className="notice" role="status">
              <p>{t('offlineDone', { number: d.sentNumber })}</p>
            </div>
          )}
          {!c ? (
            <>
              {(status.available || status.botEnabled) && (
                <form method="post" className="chat-start">
                  <CsrfField />
                  <input type="hidden" name="intent" value="start" />
                  <p className="hint">{t('startHint')}</p>
                  <div className="field">
                    <label htmlFor="chat-start-name">{t('nameLabel')}</label>
                    <input id="chat-start-name" type="text" name="name" autoComplete="name" maxLength={200} />
                  </div>
                  <button type="submit">{status.available ? t('start') : t('startBot')}</button>
                </form>
              )}
              {!status.available && (
                <form method="post" className="chat-offline" noValidate>
                  <CsrfField />
                  <input type="hidden" name="intent" value="offline" />
                  <h2>{t('offlineTitle')}</h2>
                  <p>{t('offlineIntro')}</p>
                  <div className="field">
                    <label htmlFor="chat-name">{t('offlineName')}</label>
                    <input id="chat-name" type="text" name="name" autoComplete="name" maxLength={200} {...invalid('name')} />
                    {fieldError('name')}
                  </div>
                  <div className="field">
                    <label htmlFor="chat-email">{t('offlineEmail')}</label>
                    <input id="chat-email" name="email" type="email" autoComplete="email" required {...invalid('email')} />
                    {fieldError('email')}
                  </div>
                  <div className="field">
                    <label htmlFor="chat-body">{t('offlineMessage')}</label>
                    <textarea id="chat-body" name="body" rows={5} required maxLength={4000} {...invalid('body')} />
                    {fieldError('body')}
                  </div>
                  <button type="submit">{t('offlineSend')}</button>
                </form>
              )}
            </>
          ) : (
            <section aria-labelledby="chat-conv-h" className="chat-conversation">
              <h2 id="chat-conv-h">{t('reference', { number: c.number })}</h2>
              {c.status === 'pending' && <p className="chat-queue">{d.queue ? t('queued', { position: d.queue.position, minutes: d.queue.estimatedWaitMinutes }) : t('queuedNoEstimate')}</p>}
              <ol className="chat-messages chat-messages-page" aria-label={t('messages')}>
                {d.messages.map((m) => (
                  <MessageItem key={m.seq} m={m} lang={lang} t={t} attachmentUrl={(aid) => `/api/v1/chat/conversations/${c.id}/attachments/${aid}`} />
                ))}
              </ol>
              <p id="chat-latest">
                <a href={`/${lang}/chat#chat-latest`}>{t('refresh')}</a>
              </p>
              {c.status !== 'resolved' ? (
                <>
                  <form method="post" encType="multipart/form-data" className="chat-composer">
                    <CsrfField />
                    <input type="hidden" name="intent" value="send" />
                    <input type="hidden" name="clientId" value={d.clientId} />
                    <div className="field">
                      <label htmlFor="chat-message">{t('messageLabel')}</label>
                      <textarea id="chat-message" name="body" rows={3} maxLength={4000} {...invalid('body')} />
                      {fieldError('body')}
                    </div>
                    <div className="field chat-file">
                      <label htmlFor="chat-file">{t('attach')}</label>
                      <input id="chat-file" name="file" type="file" accept="image/jpeg,image/png,image/webp,image/gif,application/pdf" {...invalid('attachments')} />
                      {fieldError('attachments')}
                    </div>
                    <button type="submit">{t('send')}</button>
                  </form>
                  <div className="chat-actions">
                    {c.status === 'bot' && (
                      <form method="post">
                        <CsrfField />
                        <input type="hidden" name="intent" value="handoff" />
                        <button type="submit" className="secondary">
                          {t('talkToPerson')}
                        </button>
                      </form>
                    )}
                    <form method="post">
                      <CsrfField />
                      <input type="hidden" name="intent" value="close" />
                      <button type="submit" className="secondary">
                        {t('endChat')}
                      </button>
                    </form>
                  </div>
                </>
              ) : (
                <div className="chat-ended">
                  <p>{t('endConfirm')}</p>
                  {d.rated && (
                    <div className="notice" role="status">
                      <p>{t('rateThanks')}</p>
                    </div>
                  )}
                  {d.ratingOpen && (
                    <form method="post" className="chat-rating">
                      <CsrfField />
                      <input type="hidden" name="intent" value="rate" />
                      <h3>{t('rateTitle')}</h3>
                      <fieldset {...(failure?.error.field === 'score' ? { 'aria-describedby': 'chat-score-error' } : {})}>
                        <legend>{t('rateLegend')}</legend>
                        {([1, 2, 3, 4, 5] as const).map((n) => (
                          <div className="radio" key={n}>
                            <input type="radio" id={`chat-score-${n}`} name="score" value={n} defaultChecked={c.csatScore === n} />
                            <label htmlFor={`chat-score-${n}`}>{t(`rate${n}`)}</label>
                          </div>
                        ))}
                      </fieldset>
                      {fieldError('score')}
                      <div className="field">
                        <label htmlFor="chat-comment">{t('rateComment')}</label>
                        <textarea id="chat-comment" name="comment" rows={3} maxLength={2000} {...invalid('comment')} />
                        {fieldError('comment')}
                      </div>
                      <p className="hint">{t('rateChangeNote')}</p>
                      <button type="submit">{t('rateSend')}</button>
                    </form>
                  )}
                  <form method="post">
                    <CsrfField />
                    <input type="hidden" name="intent" value="new" />
                    <button type="submit" className="secondary">
                      {t('newChat')}
                    </button>
                  </form>
                </div>
              )}
              <p>
                <a href={`/api/v1/chat/conversations/${c.id}/transcript?lang=${lang}`} download>
                  {t('transcript')}
                </a>
              </p>
            </section>
          )}
        </>
      )}
    </div>
  );
}

function errorFor(code: string, field: string, t: ReturnType<typeof translator<(typeof chatText)['fi']>>): string | null {
  if (code === 'required') return t('errorRequired');
  if (code === 'too_long') return t('errorTooLong');
  if (field === 'email') return t('errorEmail');
  return null;
}

/** The embed script listens for this and closes the frame, returning focus to its button. */
function closeEmbed() {
  window.parent?.postMessage({ type: 'aukio-chat:close' }, '*');
}

/** The embedding site's origin (the frame's referrer), stored with the conversation when allowed. */
function embedOrigin(): string | null {
  try {
    return document.referrer ? new URL(document.referrer).origin : null;
  } catch {
    return null;
  }
}

