import { describeBotMessage } from '../../modules/inbox/bot.ts';
import type { MessageData } from '../../modules/inbox/model.ts';
import type { Role } from '../../modules/identity/actor.ts';
import { LANGUAGES, type Lang } from '../../platform/i18n.ts';
import type { RequestContext } from '../../server/context.ts';
import { translator } from '../i18n/define.ts';
import { inboxBot, type InboxBotKey } from '../i18n/inbox-bot.ts';
import { useLang } from '../root.tsx';
import { Field } from './catalog-edit-ui.tsx';

/**
 * Shared pieces of the bot FAQ pages: texts, the editor roles and "try the bot" (a GET
 * form, so it works without JavaScript and changes nothing). Fields use the console's
 * shared Field from catalog-edit-ui.
 */

export type BotT = ReturnType<typeof translator<(typeof inboxBot)['fi']>>;
export const useBotText = (): BotT => translator(inboxBot, useLang());

/** Who edits the FAQ (tenant admins implied); the service checks the same. */
export const FAQ_ROLES: Role[] = ['customer_service', 'communications'];

export const LANG_KEY: Record<Lang, InboxBotKey> = { fi: 'langFi', sv: 'langSv', en: 'langEn' };

export function errText(t: BotT, code: string | undefined): string | undefined {
  if (!code) return undefined;
  const key = `err_${code}` as InboxBotKey;
  return key in inboxBot.fi ? t(key) : t('err_invalid_type');
}

export interface TryResult {
  text: string;
  lang: Lang;
  body: string;
  data: MessageData;
  decision: string;
  faqBest: { id: string; score: number; question: string; lang: Lang } | null;
  threshold: number | null;
  catalogScore: number | null;
}

/** Runs "try the bot" for a loader from ?try=&tryLang= (nothing is stored). */
export async function tryFromUrl(context: RequestContext, request: Request, pageLang: Lang): Promise<TryResult | null> {
  const url = new URL(request.url);
  const text = (url.searchParams.get('try') ?? '').trim().slice(0, 4000);
  if (!text) return null;
  const asked = url.searchParams.get('tryLang');
  const lang = (LANGUAGES as readonly string[]).includes(asked ?? '') ? (asked as Lang) : pageLang;
  const r = await context.services.chatBot.preview(context.tenant, text, lang);
  const best = r.findings.faq?.best ?? null;
  return {
    text,
    lang,
    body: r.body,
    data: r.data,
    decision: r.decision.kind,
    faqBest: best ? { id: best.entry.id, score: best.score, question: best.question, lang: best.lang } : null,
    threshold: r.findings.faq?.threshold ?? null,
    catalogScore: r.findings.catalogScore,
  };
}

const num = (n: number, lang: Lang) => new Intl.NumberFormat({ fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[lang], { maximumFractionDigits: 2 }).format(n);

/** The "try the bot" box: the form, and what the bot would say with the reasons. */
export function TryBot({ t, lang, action, result }: { t: BotT; lang: Lang; action: string; result: TryResult | null }) {
  const label = result ? describeBotMessage({ authorKind: 'bot', data: result.data }, lang) : null;
  return (
    <section aria-labelledby="bot-try-title" className="bot-try">
      <h2 id="bot-try-title">{t('tryTitle')}</h2>
      <p>{t('tryIntro')}</p>
      <form method="get" action={action}>
        <Field name="try" label={t('tryLabel')} t={t}>
          {(aria) => <textarea {...aria} rows={2} maxLength={4000} defaultValue={result?.text ?? ''} />}
        </Field>
        <Field name="tryLang" label={t('tryLang')} t={t}>
          {(aria) => (
            <select {...aria} defaultValue={result?.lang ?? lang}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(LANG_KEY[l])}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit">{t('trySubmit')}</button>
      </form>
      {result && (
        <div className="bot-try-result" role="status">
          <h3>{t('tryResultTitle')}</h3>
          <div className="bot-bubble">
            <p lang={result.data.bot?.lang ?? result.lang}>{result.body}</p>
            {result.data.bot?.lang && <p className="hint">{t('answerInLang', { lang: t(LANG_KEY[result.data.bot.lang]) })}</p>}
            {result.data.cards?.length ? <BotCards cards={result.data.cards} t={t} lang={result.lang} /> : null}
          </div>
          <h4>{t('tryWhy')}</h4>
          <ul>
            {label && <li>{label}</li>}
            {(result.decision === 'handoff_asked' || result.decision === 'handoff_gave_up') && <li>{t('tryHandoff')}</li>}
            <li>
              {result.faqBest ? (
                <>
                  <span lang={result.faqBest.lang}>
                    {t('tryFaqBest', { question: result.faqBest.question, score: num(result.faqBest.score, lang), threshold: num(result.threshold ?? 0, lang) })}
                  </span>{' '}
                  <a href={`/${lang}/staff/inbox/faq/${result.faqBest.id}`}>{t('tryOpenEntry')}</a>
                </>
              ) : (
                t('tryNoFaq')
              )}
            </li>
            {result.catalogScore !== null && <li>{t('tryCatalogScore', { score: num(result.catalogScore, lang) })}</li>}
          </ul>
        </div>
      )}
    </section>
  );
}

/** Service cards as the bot sends them: name linked to the resident page, summary, today's hours. */
export function BotCards({ cards, t, lang }: { cards: NonNullable<MessageData['cards']>; t: BotT; lang: Lang }) {
  return (
    <ul className="bot-cards" aria-label={t('cardsTitle')}>
      {cards.map((c) => (
        <li key={`${c.kind}:${c.id}`} className="bot-card" lang={c.lang !== lang ? c.lang : undefined}>
          <a href={c.href}>{c.name}</a>
          {c.summary && <p>{c.summary}</p>}
          {c.hours && <p className="bot-card-hours">{c.hours}</p>}
        </li>
      ))}
    </ul>
  );
}
