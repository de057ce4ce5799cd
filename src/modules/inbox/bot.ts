import type { CatalogReader, ServiceView } from '../catalog/read.ts';
import type { ServiceHours } from '../catalog/model.ts';
import { openStatus } from '../catalog/opening-hours.ts';
import type { RoutingService } from '../routing/routing.ts';
import type { Tenant } from '../tenancy/tenants.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { LANGUAGES, pick, type Lang } from '../../platform/i18n.ts';
import type { Logger } from '../../platform/log.ts';
import { botPhrase, type BotPhrase } from './bot-phrases.ts';
import { isWithinBusinessHours, nextOpening } from './business-hours.ts';
import type { ConversationRow, ConversationService } from './conversations.ts';
import type { FaqMatchResult, FaqService } from './faq.ts';
import { detectIntent, type Intent } from './intents.ts';
import type { Conversation, Message, MessageData, ServiceCard, Team } from './model.ts';

/**
 * The chat bot: answers a resident first, from curated content only, and hands off to a
 * person when asked or when it cannot help.
 *
 * For each resident message of a chat conversation in status `bot`, while the tenant's
 * `inbox_settings.bot_enabled` is on (switched off, the bot says nothing and the conversation
 * goes to its team's queue, so the message reaches a person), in this order:
 * 1. "I want to talk to a person" (intents.ts) → a fixed phrase and hand-off (reason `asked`).
 * 2. "That did not help" → counts as an unhelpful answer; greetings and thanks → a fixed
 *    courtesy phrase.
 * 3. An FAQ entry scoring at or above FAQ_THRESHOLD → its curated answer (in the
 *    conversation's language, else in the entry's language with `data.bot.lang`) and the card
 *    of its linked service.
 * 4. A confident routing-engine answer → a fixed lead-in and up to three cards (name and
 *    summary from the catalog, the resident page link, today's hours from the catalog).
 * 5. Otherwise a miss, offering the way to a person.
 * Unhelpful answers in a row are counted in `bot_misses` (a good answer resets it); the
 * second one hands off by itself (reason `bot_gave_up`).
 *
 * Looking things up happens before the transaction (the catalog reader and routing use the
 * pool, and PGlite has one connection); the reply, the counter and the hand-off are one
 * transaction that locks the conversation, so two quick messages count correctly. The reply's
 * client id is `bot-<resident message seq>`: a hook that runs twice answers once.
 */

export const BOT_MAX_MISSES = 2;
const MAX_CARDS = 3;

export type BotSource = NonNullable<MessageData['bot']>['source'];

export type DecisionKind = 'handoff_asked' | 'handoff_gave_up' | 'faq' | 'catalog' | 'greeting' | 'thanks' | 'not_helpful' | 'miss';

export interface Decision {
  kind: DecisionKind;
  /** bot_misses after this reply. */
  misses: number;
}

/**
 * What the bot does, from what it found and how many unhelpful answers came before. Pure:
 * the unit tests pin the rules down.
 */
export function decide(found: { intent: Intent | null; faqHit: boolean; catalogHit: boolean }, missesBefore: number): Decision {
  const miss = (): Decision => {
    const misses = missesBefore + 1;
    return misses >= BOT_MAX_MISSES ? { kind: 'handoff_gave_up', misses } : { kind: found.intent === 'not_helpful' ? 'not_helpful' : 'miss', misses };
  };
  switch (found.intent) {
    case 'handoff':
      return { kind: 'handoff_asked', misses: missesBefore };
    case 'not_helpful':
      return miss();
    case 'thanks':
      return { kind: 'thanks', misses: missesBefore };
    case 'greeting':
      return { kind: 'greeting', misses: missesBefore };
    default:
      if (found.faqHit) return { kind: 'faq', misses: 0 };
      if (found.catalogHit) return { kind: 'catalog', misses: 0 };
      return miss();
  }
}

export const SOURCE_OF: Record<DecisionKind, BotSource> = {
  handoff_asked: 'handoff',
  handoff_gave_up: 'handoff',
  faq: 'faq',
  catalog: 'catalog',
  greeting: 'greeting',
  thanks: 'greeting',
  not_helpful: 'miss',
  miss: 'miss',
};

const phrase = botPhrase;

const LOCALES: Record<Lang, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const DASH = '–';

function clock(time: string, lang: Lang): string {
  const [h, m] = time.split(':');
  return `${Number(h)}${lang === 'en' ? ':' : '.'}${m}`;
}

/** "ma 8.00" / "Mon 8:00": a local date and time of the next opening. */
function dayAndTime(date: string, time: string, lang: Lang): string {
  const day = new Intl.DateTimeFormat(LOCALES[lang], { weekday: 'short', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
  return `${day} ${clock(time, lang)}`;
}

/**
 * Today's opening hours of a place as one line ("Avoinna nyt, tänään 8.00–16.00"), from the
 * catalog's hours in Helsinki time; null when the catalog has no hours (nothing is claimed).
 */
export function hoursLine(hours: ServiceHours[], instant: number, lang: Lang): string | null {
  if (!hours?.length) return null;
  const s = openStatus(hours, instant);
  if (!s.known) return null;
  if (s.alwaysOpen) return phrase(lang, 'openAllDay');
  const times = s.today.intervals.map((i) => `${clock(i.from, lang)}${DASH}${clock(i.to, lang)}`).join(', ');
  if (s.open) return phrase(lang, 'openNowToday', { times });
  if (times) return phrase(lang, 'closedNowToday', { times });
  if (s.opensAt) return phrase(lang, 'closedTodayOpens', { when: dayAndTime(s.opensAt.date, s.opensAt.time, lang) });
  return phrase(lang, 'closedToday');
}

/** The localized label of a bot message's source for staff ("Bot: FAQ answer (match 0.82)"); null for other messages. */
export function describeBotMessage(message: Pick<Message, 'authorKind' | 'data'>, lang: Lang): string | null {
  const bot = message.data?.bot;
  if (message.authorKind !== 'bot' || !bot) return null;
  const key: Record<BotSource, BotPhrase> = {
    faq: 'sourceFaq',
    catalog: 'sourceCatalog',
    greeting: 'sourceGreeting',
    handoff: 'sourceHandoff',
    miss: 'sourceMiss',
  };
  const label = phrase(lang, key[bot.source] ?? 'sourceMiss');
  if (typeof bot.score !== 'number') return label;
  const score = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 2 }).format(bot.score);
  return phrase(lang, 'withScore', { label, score });
}

/** What the bot found for a text, before deciding (no database writes). */
export interface Findings {
  intent: Intent | null;
  faq: FaqMatchResult | null;
  /** Cards of a confident routing answer (empty when not confident). */
  catalogCards: ServiceCard[];
  catalogScore: number | null;
  /** The FAQ hit's answer in the best language, and its linked service's card. */
  faqAnswer: { text: string; lang: Lang; card: ServiceCard | null } | null;
}

/** The bot's replies in one conversation, by source, and the source of the last one. */
export interface BotSummary {
  counts: Record<BotSource, number>;
  last: BotSource;
  lastSeq: number;
}

/** The bot's reply as it would be posted. */
export interface BotReply {
  decision: Decision;
  body: string;
  data: MessageData;
}

export interface ChatBotDeps {
  db: Db;
  conversations: ConversationService;
  faq: FaqService;
  routing: RoutingService;
  catalogReader: CatalogReader;
  tenancy: { get(tenantId: string): Promise<Tenant> };
  log: Logger;
}

export class ChatBot {
  constructor(private deps: ChatBotDeps) {}

  /** Whether the tenant lets the bot answer (inbox_settings.bot_enabled; on without a row). */
  async enabled(q: Queryable, tenantId: string): Promise<boolean> {
    const r = await q.query<{ bot_enabled: boolean }>('select bot_enabled from inbox_settings where tenant_id = $1', [tenantId]);
    return r.rows[0]?.bot_enabled ?? true;
  }

  /** The hook registered with conversations.onResidentMessage. */
  async handle(conversation: Conversation, message: Message): Promise<void> {
    // The conversation as the message's commit left it: most messages go to people, and
    // those need no further look.
    if (message.authorKind !== 'resident' || conversation.channel !== 'chat' || conversation.status !== 'bot') return;
    const { db, conversations } = this.deps;
    const tenantId = conversation.tenantId;
    const current = await conversations.get(db, tenantId, conversation.id);
    if (!current || current.status !== 'bot') return;
    if (!(await this.enabled(db, tenantId))) {
      // Switched off while this chat was with the bot: the bot says nothing, but the message
      // must reach a person, so the conversation joins the queue as if started without a bot.
      await db.transaction((tx) => conversations.handoff(tx, tenantId, conversation.id, { reason: 'direct' }));
      return;
    }
    const tenant = await this.deps.tenancy.get(tenantId);
    const findings = await this.find(tenant, message.body, current.lang);
    const clientId = `bot-${message.seq}`;

    await db.transaction(async (tx) => {
      const locked = await tx.query<ConversationRow>('select * from inbox_conversations where tenant_id = $1 and id = $2 for update', [tenantId, conversation.id]);
      const row = locked.rows[0];
      if (!row || row.status !== 'bot') return;
      const seen = await tx.query('select 1 from inbox_messages where conversation_id = $1 and client_id = $2', [conversation.id, clientId]);
      if (seen.rows.length) return;
      const decision = decide({ intent: findings.intent, faqHit: !!findings.faqAnswer, catalogHit: findings.catalogCards.length > 0 }, row.bot_misses);
      const handoff = decision.kind === 'handoff_asked' || decision.kind === 'handoff_gave_up';
      const team = handoff ? await this.teamOf(tx, tenantId, row.team_id) : null;
      const reply = this.compose(decision, findings, current.lang, team, Date.now());
      await conversations.postMessage(tx, tenantId, conversation.id, { clientId, authorKind: 'bot', authorName: phrase(current.lang, 'botName'), body: reply.body, data: reply.data });
      await tx.query('update inbox_conversations set bot_misses = $3 where tenant_id = $1 and id = $2', [tenantId, conversation.id, decision.misses]);
      if (handoff) {
        await conversations.handoff(tx, tenantId, conversation.id, { reason: decision.kind === 'handoff_asked' ? 'asked' : 'bot_gave_up' });
      }
    });
  }

  /**
   * What the bot would answer to `text` in a fresh conversation (no unhelpful answers yet),
   * without writing anything: the console's "try the bot".
   */
  async preview(tenant: Tenant, text: string, lang: Lang): Promise<BotReply & { findings: Findings }> {
    const findings = await this.find(tenant, text, lang);
    const decision = decide({ intent: findings.intent, faqHit: !!findings.faqAnswer, catalogHit: findings.catalogCards.length > 0 }, 0);
    const handoff = decision.kind === 'handoff_asked' || decision.kind === 'handoff_gave_up';
    const team = handoff ? await this.teamOf(this.deps.db, tenant.id, null) : null;
    return { ...this.compose(decision, findings, lang, team, Date.now()), findings };
  }

  /**
   * What the bot answered in each conversation, for the agent inbox's list of bot-only
   * conversations: its replies counted by source and the source of the last one. Reads only
   * the bot's own messages (no resident text), so it needs no audit row.
   */
  async summaries(q: Queryable, tenantId: string, conversationIds: string[]): Promise<Map<string, BotSummary>> {
    const out = new Map<string, BotSummary>();
    const ids = conversationIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (!ids.length) return out;
    const r = await q.query<{ conversation_id: string; source: BotSource; n: string; last_seq: number }>(
      `select conversation_id, data #>> '{bot,source}' as source, count(*) as n, max(seq) as last_seq from inbox_messages
        where tenant_id = $1 and conversation_id = any($2::uuid[]) and author_kind = 'bot' and data ? 'bot'
        group by conversation_id, data #>> '{bot,source}'`,
      [tenantId, ids],
    );
    for (const row of r.rows) {
      const s = out.get(row.conversation_id) ?? { counts: { faq: 0, catalog: 0, greeting: 0, handoff: 0, miss: 0 }, last: row.source, lastSeq: 0 };
      s.counts[row.source] = Number(row.n);
      if (row.last_seq > s.lastSeq) {
        s.lastSeq = row.last_seq;
        s.last = row.source;
      }
      out.set(row.conversation_id, s);
    }
    return out;
  }

  /** The localized source label of a bot message (for staff views). */
  describe(message: Pick<Message, 'authorKind' | 'data'>, lang: Lang): string | null {
    return describeBotMessage(message, lang);
  }

  /** Intent, FAQ match and catalog answer for a text; reads only. */
  async find(tenant: Tenant, text: string, lang: Lang): Promise<Findings> {
    const intent = detectIntent(text);
    const none: Findings = { intent, faq: null, catalogCards: [], catalogScore: null, faqAnswer: null };
    if (intent) return none;
    const pageLang = tenant.languages.includes(lang) ? lang : tenant.defaultLanguage;
    const others = tenant.languages.filter((l) => l !== lang);
    const faq = await this.deps.faq.match(tenant.id, text, lang, others);
    if (faq.hit) {
      const entry = faq.hit.entry;
      const answer = pick(entry.answers, lang, [faq.hit.lang, tenant.defaultLanguage]);
      const card = entry.serviceId ? await this.serviceCard(tenant, entry.serviceId, lang, pageLang) : null;
      return { ...none, faq, faqAnswer: { text: answer.text, lang: answer.lang, card } };
    }
    const routed = await this.deps.routing.route(tenant, text, lang, { limit: MAX_CARDS });
    if (!routed.confident || !routed.results.length) return { ...none, faq, catalogScore: routed.results[0]?.score ?? null };
    const cards: ServiceCard[] = [];
    for (const r of routed.results.slice(0, MAX_CARDS)) {
      const href = `/${pageLang}${r.path.replace(/^\/(fi|sv|en)(?=\/)/, '')}`;
      let hours: string | null = null;
      if (r.kind === 'service') hours = serviceHoursLine(await this.deps.catalogReader.service(tenant.id, r.id), lang);
      if (r.kind === 'unit') hours = hoursLine((await this.deps.catalogReader.unit(tenant.id, r.id))?.unit.serviceHours ?? [], Date.now(), lang);
      cards.push({ kind: r.kind, id: r.id, name: r.title, summary: r.summary, href, hours, lang: r.titleLang });
    }
    return { ...none, faq, catalogCards: cards, catalogScore: routed.results[0].score };
  }

  private compose(decision: Decision, f: Findings, lang: Lang, team: Team | null, now: number): BotReply {
    const source = SOURCE_OF[decision.kind];
    const bot: NonNullable<MessageData['bot']> = { source };
    const data: MessageData = { bot };
    let body: string;
    switch (decision.kind) {
      case 'faq': {
        const a = f.faqAnswer!;
        body = a.text;
        bot.faqId = f.faq!.hit!.entry.id;
        bot.score = f.faq!.hit!.score;
        if (a.lang !== lang) bot.lang = a.lang;
        if (a.card) data.cards = [a.card];
        break;
      }
      case 'catalog':
        body = phrase(lang, 'catalogLeadIn');
        data.cards = f.catalogCards;
        if (f.catalogScore !== null) bot.score = f.catalogScore;
        break;
      case 'greeting':
        body = phrase(lang, 'greeting');
        break;
      case 'thanks':
        body = phrase(lang, 'thanks');
        break;
      case 'not_helpful':
        body = phrase(lang, 'notHelpful');
        break;
      case 'miss':
        body = phrase(lang, 'miss');
        if (f.faq?.best) bot.score = f.faq.best.score;
        break;
      case 'handoff_asked':
      case 'handoff_gave_up':
        body = `${phrase(lang, decision.kind === 'handoff_asked' ? 'handoffAsked' : 'handoffGaveUp')} ${this.availability(team, lang, now)}`.trim();
        break;
    }
    return { decision, body, data };
  }

  /** Whether the team that takes over works now, and when it opens if not (its business hours). */
  private availability(team: Team | null, lang: Lang, now: number): string {
    if (!team) return '';
    if (isWithinBusinessHours(team.businessHours, now)) return phrase(lang, 'teamOpen');
    const next = nextOpening(team.businessHours, now);
    if (next === null) return phrase(lang, 'teamClosed');
    const when = new Intl.DateTimeFormat(LOCALES[lang], { weekday: 'short', hour: 'numeric', minute: '2-digit', timeZone: 'Europe/Helsinki' }).format(new Date(next));
    return phrase(lang, 'teamClosedUntil', { when });
  }

  private async teamOf(q: Queryable, tenantId: string, teamId: string | null): Promise<Team | null> {
    const { conversations } = this.deps;
    return (teamId ? await conversations.team(q, tenantId, teamId) : null) ?? (await conversations.defaultTeam(q, tenantId));
  }

  /** A service's card: catalog name and summary, its resident page, and where and when it is open today. */
  private async serviceCard(tenant: Tenant, serviceId: string, lang: Lang, pageLang: Lang): Promise<ServiceCard | null> {
    const view = await this.deps.catalogReader.service(tenant.id, serviceId);
    if (!view) return null;
    const name = pick(view.service.names, lang, [tenant.defaultLanguage]);
    const summary = pick(view.service.summary, lang, [name.lang]);
    return {
      kind: 'service',
      id: serviceId,
      name: name.text,
      summary: summary.text,
      href: `/${pageLang}/services/${serviceId}`,
      hours: serviceHoursLine(view, lang),
      lang: name.lang,
    };
  }

}

/** Today's hours of the first place (else phone line) of a service that has hours: "Pääkirjasto: Avoinna nyt, …". */
function serviceHoursLine(view: ServiceView | null, lang: Lang): string | null {
  if (!view) return null;
  const now = Date.now();
  for (const channel of [...view.channels.service_location, ...view.channels.phone]) {
    const line = hoursLine(channel.serviceHours, now, lang);
    if (!line) continue;
    const place = pick(channel.names, lang, [...LANGUAGES]).text;
    return place ? `${place}: ${line}` : line;
  }
  return null;
}
