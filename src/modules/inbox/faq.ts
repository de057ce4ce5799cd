import { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import type { LocalizedList } from '../catalog/model.ts';
import { hasRole } from '../identity/access.ts';
import type { Actor, StaffUser } from '../identity/actor.ts';
import { FTS_CONFIG, isStopStem, isStopWord, normalize, parseTsvector, similarity, stemMatch, tokenize } from '../routing/analyze.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { LANGUAGES, type Lang, type Localized } from '../../platform/i18n.ts';
import { isUuid, parse } from '../../platform/validation.ts';
import { MESSAGE_MAX } from './model.ts';

/**
 * The bot's curated answers (`inbox_faq_entries`): phrasings residents use per language,
 * the answer per language, an optional catalog service whose card goes with the answer.
 * Staff with customer_service or communications (tenant admins implied) edit them; every
 * write is audited.
 *
 * Matching a resident's text to an entry uses the routing module's analysis, not a second
 * index: the words are normalized and stemmed by PostgreSQL's finnish/swedish/english
 * configurations (the same stems the search index uses), filler words go, Finnish stems that
 * differ in their last letters or are parts of compounds still match (analyze.ts stemMatch),
 * the tenant's synonyms (päikky → päiväkoti) count, and a typo is matched by trigram
 * similarity to the entries' own words. FAQ entries are deliberately NOT put into the
 * routing index: they are answers in a conversation, not pages a resident can open, and the
 * bot asks them first and the catalog second.
 *
 * Score: for each phrasing, how much of the resident's words it explains (precision) and how
 * much of the phrasing the resident's words cover (recall), both weighted by how rare each
 * word is among the tenant's entries (so "hakea" in many questions counts less than
 * "kirjastokortti"); their harmonic mean. The best phrasing is the entry's score.
 */

/** A score at or above this is an answer; below it the bot tries the catalog. */
export const FAQ_THRESHOLD = 0.5;
const MAX_QUESTIONS = 30;
const QUESTION_MAX = 300;
const TYPO_SIMILARITY = 0.5;
const SYNONYM_FACTOR = 0.9;
const STEM_CACHE_MAX = 20_000;

export interface FaqEntry {
  id: string;
  questions: LocalizedList;
  answers: Localized;
  serviceId: string | null;
  /** The linked service's names (null when none or it is no longer published). */
  serviceNames: Localized | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface FaqMatch {
  entry: FaqEntry;
  score: number;
  /** Language of the phrasing that matched. */
  lang: Lang;
  question: string;
}

export interface FaqMatchResult {
  /** The best entry when its score reaches the threshold. */
  hit: FaqMatch | null;
  /** The best entry whatever its score (for the console's "try the bot"). */
  best: FaqMatch | null;
  threshold: number;
}

const clean = (s: string) => s.normalize('NFC').replace(/\r\n/g, '\n').trim();
const oneLine = (s: string) => clean(s).replace(/\s+/g, ' ');
const questionList = z
  .array(z.string({ message: 'invalid_type' }).transform(oneLine).pipe(z.string().max(QUESTION_MAX, { message: 'too_long' })), { message: 'invalid_type' })
  .max(MAX_QUESTIONS, { message: 'too_many' });
const answer = z.string({ message: 'invalid_type' }).transform(clean).pipe(z.string().max(MESSAGE_MAX, { message: 'too_long' }));

const fields = {
  questions: z.strictObject({ fi: questionList.optional(), sv: questionList.optional(), en: questionList.optional() }, { message: 'invalid_type' }),
  answers: z.strictObject({ fi: answer.optional(), sv: answer.optional(), en: answer.optional() }, { message: 'invalid_type' }),
  serviceId: z.string({ message: 'invalid_type' }).max(36, { message: 'invalid' }).nullable().optional(),
  active: z.boolean({ message: 'invalid_type' }).optional(),
  /** Optimistic concurrency: the updatedAt the editor read; a newer row answers 409. */
  updatedAt: z.string({ message: 'invalid_type' }).max(40).optional(),
};
export const faqInput = z.strictObject(fields);
export const faqPatch = z.strictObject({ ...fields, questions: fields.questions.optional(), answers: fields.answers.optional() });
export type FaqInput = z.output<typeof faqInput>;

const MARKUP = /<\/?[a-z!][^>]*>/i;

interface Row {
  id: string;
  questions: LocalizedList;
  answers: Localized;
  service_id: string | null;
  service_names: Localized | null;
  active: boolean;
  created_at: Date | string;
  updated_at: Date | string;
}

const toEntry = (r: Row): FaqEntry => ({
  id: r.id,
  questions: r.questions ?? {},
  answers: r.answers ?? {},
  serviceId: r.service_id,
  serviceNames: r.service_names ?? null,
  active: r.active,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

const SELECT = `select e.id, e.questions, e.answers, e.service_id, e.active, e.created_at, e.updated_at,
  (select s.names from catalog_services s where s.tenant_id = e.tenant_id and s.id = e.service_id and s.status = 'published') as service_names
  from inbox_faq_entries e`;

/** FAQ editing: customer service and communications (tenant admins implied), of their own tenant. */
export function requireFaqEditor(actor: Actor, tenantId: string): StaffUser {
  if (actor.kind === 'anonymous') throw new AppError('unauthenticated', 401);
  if (actor.kind !== 'staff' || actor.user.tenantId !== tenantId) throw new AppError('forbidden', 403);
  if (!hasRole(actor.user, ['customer_service', 'communications'])) throw new AppError('forbidden', 403);
  return actor.user;
}

interface Term {
  /** Surface word (normalized). */
  word: string;
  lexeme: string;
}

export class FaqService {
  private stems = new Map<string, string | null>();

  constructor(
    private db: Db,
    private audit: AuditService,
  ) {}

  // ── editing ────────────────────────────────────────────────────────────────────────

  async list(actor: Actor, tenantId: string): Promise<FaqEntry[]> {
    requireFaqEditor(actor, tenantId);
    const r = await this.db.query<Row>(`${SELECT} where e.tenant_id = $1 order by e.active desc, e.questions #>> '{fi,0}', e.created_at`, [tenantId]);
    return r.rows.map(toEntry);
  }

  async get(actor: Actor, tenantId: string, id: string): Promise<FaqEntry> {
    requireFaqEditor(actor, tenantId);
    const e = await this.read(this.db, tenantId, id);
    if (!e) throw new AppError('not_found', 404);
    return e;
  }

  async create(actor: Actor, tenantId: string, body: unknown, ctx: { ip?: string } = {}): Promise<FaqEntry> {
    requireFaqEditor(actor, tenantId);
    const input = parse(faqInput, body);
    return this.db.transaction(async (tx) => {
      const v = await this.validate(tx, tenantId, input);
      const r = await tx.query<{ id: string }>(
        `insert into inbox_faq_entries (tenant_id, questions, answers, service_id, active) values ($1, $2, $3, $4, $5) returning id`,
        [tenantId, JSON.stringify(v.questions), JSON.stringify(v.answers), v.serviceId, v.active],
      );
      const id = r.rows[0].id;
      await this.audit.record(tx, tenantId, actor, { action: 'inbox.faq_created', targetKind: 'inbox_faq_entry', targetId: id, details: summary(v), ip: ctx.ip });
      return (await this.read(tx, tenantId, id))!;
    });
  }

  /** PUT replaces the entry (`partial` false); PATCH changes only the fields given. */
  async update(actor: Actor, tenantId: string, id: string, body: unknown, opts: { partial?: boolean; ip?: string } = {}): Promise<FaqEntry> {
    requireFaqEditor(actor, tenantId);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const input = opts.partial ? parse(faqPatch, body) : parse(faqInput, body);
    return this.db.transaction(async (tx) => {
      const locked = await tx.query<{ updated_at: Date | string }>('select updated_at from inbox_faq_entries where tenant_id = $1 and id = $2 for update', [tenantId, id]);
      if (!locked.rows[0]) throw new AppError('not_found', 404);
      const current = (await this.read(tx, tenantId, id))!;
      if (input.updatedAt && input.updatedAt !== current.updatedAt) {
        throw new AppError('conflict', 409, { reason: 'stale', updatedAt: current.updatedAt, fields: { updatedAt: 'stale' } });
      }
      const merged: FaqInput = {
        questions: input.questions ?? current.questions,
        answers: input.answers ?? current.answers,
        serviceId: input.serviceId === undefined ? (opts.partial ? current.serviceId : null) : input.serviceId,
        active: input.active ?? (opts.partial ? current.active : true),
      };
      const v = await this.validate(tx, tenantId, merged);
      await tx.query(
        `update inbox_faq_entries set questions = $3, answers = $4, service_id = $5, active = $6, updated_at = clock_timestamp()
         where tenant_id = $1 and id = $2`,
        [tenantId, id, JSON.stringify(v.questions), JSON.stringify(v.answers), v.serviceId, v.active],
      );
      await this.audit.record(tx, tenantId, actor, { action: 'inbox.faq_updated', targetKind: 'inbox_faq_entry', targetId: id, details: summary(v), ip: opts.ip });
      return (await this.read(tx, tenantId, id))!;
    });
  }

  async remove(actor: Actor, tenantId: string, id: string, ctx: { ip?: string } = {}): Promise<void> {
    requireFaqEditor(actor, tenantId);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    await this.db.transaction(async (tx) => {
      const r = await tx.query<{ questions: LocalizedList }>('delete from inbox_faq_entries where tenant_id = $1 and id = $2 returning questions', [tenantId, id]);
      if (!r.rows[0]) throw new AppError('not_found', 404);
      await this.audit.record(tx, tenantId, actor, {
        action: 'inbox.faq_deleted',
        targetKind: 'inbox_faq_entry',
        targetId: id,
        details: { firstQuestion: firstQuestion(r.rows[0].questions) },
        ip: ctx.ip,
      });
    });
  }

  /** Published services an entry may link to (the editor's choices). */
  async serviceChoices(actor: Actor, tenantId: string): Promise<{ id: string; names: Localized }[]> {
    requireFaqEditor(actor, tenantId);
    const r = await this.db.query<{ id: string; names: Localized }>(
      `select id, names from catalog_services where tenant_id = $1 and status = 'published'
       order by coalesce(names->>'fi', names->>'sv', names->>'en') limit 2000`,
      [tenantId],
    );
    return r.rows;
  }

  /** One entry of the tenant for the bot (no authorization: the bot is the reader). */
  async read(q: Queryable, tenantId: string, id: string): Promise<FaqEntry | null> {
    if (!isUuid(id)) return null;
    const r = await q.query<Row>(`${SELECT} where e.tenant_id = $1 and e.id = $2`, [tenantId, id]);
    return r.rows[0] ? toEntry(r.rows[0]) : null;
  }

  /**
   * The rules an entry must meet besides its shape: at least one phrasing, an answer in every
   * language that has phrasings (the bot answers in the language it was asked in), plain text
   * only (the chat shows text, never markup), and a linked service that is a published
   * service of this tenant.
   */
  private async validate(tx: Queryable, tenantId: string, input: FaqInput): Promise<Required<Omit<FaqInput, 'updatedAt'>>> {
    const errors: Record<string, string> = {};
    const questions: LocalizedList = {};
    const answers: Localized = {};
    for (const l of LANGUAGES) {
      const list = [...new Set((input.questions[l] ?? []).filter(Boolean))];
      if (list.length) questions[l] = list;
      const a = input.answers[l];
      if (a) answers[l] = a;
      list.forEach((q, i) => {
        if (MARKUP.test(q)) errors[`questions.${l}.${i}`] = 'html_not_allowed';
      });
      if (a && MARKUP.test(a)) errors[`answers.${l}`] = 'html_not_allowed';
      if (list.length && !a) errors[`answers.${l}`] = 'required';
    }
    if (!Object.keys(questions).length) errors.questions = 'required';
    if (!Object.keys(answers).length && !errors.questions) errors.answers = 'required';
    let serviceId: string | null = null;
    if (input.serviceId) {
      const ok =
        isUuid(input.serviceId) &&
        (await tx.query('select 1 from catalog_services where tenant_id = $1 and id = $2 and status = $3', [tenantId, input.serviceId, 'published'])).rows.length > 0;
      if (!ok) errors.serviceId = 'unknown_service';
      serviceId = input.serviceId;
    }
    if (Object.keys(errors).length) throw new AppError('validation_failed', 400, { fields: errors });
    return { questions, answers, serviceId, active: input.active ?? true };
  }

  // ── matching ───────────────────────────────────────────────────────────────────────

  /**
   * The active entry that best answers `text`, asked in `lang` first, then in `also` (a
   * resident may write Finnish into a Swedish chat). The first language with a hit wins.
   */
  async match(tenantId: string, text: string, lang: Lang, also: Lang[] = []): Promise<FaqMatchResult> {
    const r = await this.db.query<Row>(`${SELECT} where e.tenant_id = $1 and e.active`, [tenantId]);
    const entries = r.rows.map(toEntry);
    let best: FaqMatch | null = null;
    for (const l of [lang, ...also.filter((x) => x !== lang)]) {
      const found = await this.matchIn(tenantId, entries, text, l);
      if (found && (!best || found.score > best.score)) best = found;
      if (best && best.score >= FAQ_THRESHOLD) return { hit: best, best, threshold: FAQ_THRESHOLD };
    }
    return { hit: null, best, threshold: FAQ_THRESHOLD };
  }

  private async matchIn(tenantId: string, entries: FaqEntry[], text: string, lang: Lang): Promise<FaqMatch | null> {
    const withQuestions = entries.filter((e) => e.questions[lang]?.length);
    if (!withQuestions.length) return null;
    const queryWords = tokenize(normalize(text).slice(0, 500)).slice(0, 40);
    if (!queryWords.length) return null;
    const synonyms = await this.synonyms(tenantId, lang);
    const synonymWords = queryWords.flatMap((w) => synonyms.get(w) ?? []);
    const questionWords = withQuestions.flatMap((e) => e.questions[lang]!.flatMap((q) => tokenize(normalize(q))));
    await this.stemAll(lang, [...queryWords, ...synonymWords, ...questionWords]);

    const terms = (words: string[]): Term[] => {
      const out: Term[] = [];
      for (const word of words) {
        if (isStopWord(lang, word)) continue;
        const lexeme = this.stems.get(`${lang}:${word}`);
        if (!lexeme || isStopStem(lang, lexeme)) continue;
        if (!out.some((t) => t.lexeme === lexeme)) out.push({ word, lexeme });
      }
      return out;
    };
    // Each of the resident's words with its alternatives: itself, and its synonyms' words.
    const concepts = terms(queryWords).map((t) => ({
      ...t,
      alts: [
        { lexeme: t.lexeme, factor: 1 },
        ...terms(synonyms.get(t.word) ?? []).map((s) => ({ lexeme: s.lexeme, factor: SYNONYM_FACTOR })),
      ],
    }));
    if (!concepts.length) return null;

    const phrasings = withQuestions.flatMap((e) => e.questions[lang]!.map((q) => ({ entry: e, question: q, terms: terms(tokenize(normalize(q))) })));
    // Rarity of a word among the entries (document = entry).
    const df = new Map<string, number>();
    for (const e of withQuestions) {
      const seen = new Set(e.questions[lang]!.flatMap((q) => terms(tokenize(normalize(q))).map((t) => t.lexeme)));
      for (const l of seen) df.set(l, (df.get(l) ?? 0) + 1);
    }
    const n = withQuestions.length;
    const idf = (lexeme: string) => Math.log(1 + (n - (df.get(lexeme) ?? 0) + 0.5) / ((df.get(lexeme) ?? 0) + 0.5));
    const unknownIdf = idf('\u0000');

    let best: FaqMatch | null = null;
    for (const p of phrasings) {
      if (!p.terms.length) continue;
      let explained = 0;
      let queryWeight = 0;
      for (const c of concepts) {
        let m = 0;
        let weight = unknownIdf;
        for (const t of p.terms) {
          for (const a of c.alts) {
            const v = stemMatch(a.lexeme, t.lexeme) * a.factor;
            if (v > m) {
              m = v;
              weight = idf(t.lexeme);
            }
          }
          // A typo of one of the phrasing's words (pg_trgm's measure on the surface words).
          if (m === 0 && c.word.length >= 4 && t.word.length >= 4) {
            const s = similarity(c.word, t.word);
            if (s >= TYPO_SIMILARITY && s * 0.9 > m) {
              m = s * 0.9;
              weight = idf(t.lexeme);
            }
          }
        }
        explained += weight * m;
        queryWeight += weight;
      }
      let covered = 0;
      let questionWeight = 0;
      for (const t of p.terms) {
        let m = 0;
        for (const c of concepts) {
          for (const a of c.alts) m = Math.max(m, stemMatch(a.lexeme, t.lexeme) * a.factor);
          if (m === 0 && c.word.length >= 4 && t.word.length >= 4) {
            const s = similarity(c.word, t.word);
            if (s >= TYPO_SIMILARITY) m = Math.max(m, s * 0.9);
          }
        }
        covered += idf(t.lexeme) * m;
        questionWeight += idf(t.lexeme);
      }
      const precision = queryWeight ? explained / queryWeight : 0;
      const recall = questionWeight ? covered / questionWeight : 0;
      const score = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
      const rounded = Math.round(score * 1000) / 1000;
      if (!best || rounded > best.score) best = { entry: p.entry, score: rounded, lang, question: p.question };
    }
    return best && best.score > 0 ? best : null;
  }

  /** The tenant's one-word synonyms in a language: resident's word → the catalog's words. */
  private async synonyms(tenantId: string, lang: Lang): Promise<Map<string, string[]>> {
    const r = await this.db.query<{ term: string; expansion: string }>('select term, expansion from search_synonyms where tenant_id = $1 and lang = $2', [tenantId, lang]);
    const out = new Map<string, string[]>();
    for (const s of r.rows) {
      const term = normalize(s.term);
      if (term.includes(' ')) continue;
      out.set(term, [...(out.get(term) ?? []), ...tokenize(normalize(s.expansion))]);
    }
    return out;
  }

  /** PostgreSQL's stem of each word in the language's configuration (null for its stop words). */
  private async stemAll(lang: Lang, words: string[]): Promise<void> {
    const missing = [...new Set(words)].filter((w) => !this.stems.has(`${lang}:${w}`));
    if (!missing.length) return;
    const r = await this.db.query<{ w: string; t: string }>('select w, to_tsvector($1::regconfig, w)::text as t from unnest($2::text[]) w', [FTS_CONFIG[lang], missing]);
    if (this.stems.size > STEM_CACHE_MAX) this.stems.clear();
    for (const row of r.rows) {
      const lexemes = [...parseTsvector(row.t).keys()];
      this.stems.set(`${lang}:${row.w}`, lexemes.sort((a, b) => b.length - a.length)[0] ?? null);
    }
  }
}

function firstQuestion(q: LocalizedList): string {
  for (const l of LANGUAGES) if (q[l]?.[0]) return q[l]![0];
  return '';
}

function summary(v: { questions: LocalizedList; answers: Localized; serviceId: string | null; active: boolean }) {
  return {
    firstQuestion: firstQuestion(v.questions),
    questions: Object.fromEntries(LANGUAGES.map((l) => [l, v.questions[l]?.length ?? 0])),
    answerLanguages: LANGUAGES.filter((l) => v.answers[l]),
    serviceId: v.serviceId,
    active: v.active,
  };
}
