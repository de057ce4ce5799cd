import type { Db } from '../../platform/db.ts';
import type { Lang, Localized } from '../../platform/i18n.ts';
import type { SearchDocument, SearchKind } from './search-index.ts';
import {
  FIELD_NAME,
  FIELD_WEIGHT,
  FTS_CONFIG,
  isStopStem,
  isStopWord,
  normalize,
  parseTsvector,
  splitCompound,
  stemMatch,
  tokenize,
} from './analyze.ts';

/**
 * The routing engine: "what do you need?" in the resident's own words → ranked services,
 * units and pages. PostgreSQL does the language work (finnish/swedish/english full-text
 * vectors with field weights, generated in migration 0004; the same configurations stem the
 * query; pg_trgm finds typos); this file decides what the query means and ranks:
 *
 * 1. The query is normalized and cut into words; filler words go.
 * 2. Each word becomes a *concept*: its PostgreSQL stem (and regular variants), plus the
 *    expansions of the tenant's synonyms (search_synonyms, read on every query), or — when the
 *    index does not know the word — the parts of the compound it is made of (kuntosali|kortti),
 *    or the indexed words it is a typo of (pg_trgm similarity over search_vocabulary).
 * 3. Every document matching a concept is scored by weighted field coverage: for every
 *    concept, its rarity (IDF over the tenant's documents) times the weight of the best field
 *    it matched in. Words are OR-ed; matching several concepts beats matching one word many
 *    times, and names beat descriptions. A well-covered name gets a bonus.
 * 4. Promotions (search_promotions) put their item first. A top score that covers too little
 *    of the query is "not confident": the caller says so instead of showing noise.
 *
 * The ranking runs over postings read from the weighted vectors, kept in memory per tenant,
 * language and index version; a trigger bumps the version on every index change, so each
 * query sees the current index (README: why not in SQL). Synonyms and promotions are read
 * fresh on every query.
 */

export interface RouteOptions {
  limit?: number;
  /** Autocomplete: fewer results, no query log row. */
  suggest?: boolean;
  /** Write the anonymous query log row (the API does; benchmarks and tests may not). */
  log?: boolean;
  /** The tenant's default language, for titles missing in the query language. */
  defaultLang?: Lang;
}

export interface RouteResult {
  kind: SearchKind;
  id: string;
  externalId: string | null;
  title: string;
  /** The language the title is in (the query language, else the tenant default, else any). */
  titleLang: Lang;
  summary: string;
  summaryLang: Lang;
  /** Resident path including the language, e.g. /fi/services/<id>. */
  path: string;
  score: number;
  /** What matched: query words and the fields they matched in; `promoted` for promotions. */
  reason: { words: string[]; fields: string[]; promoted?: boolean };
}

export interface RouteResponse {
  queryId: string | null;
  confident: boolean;
  lang: Lang;
  results: RouteResult[];
}

export interface ReportRow {
  q: string;
  lang: Lang;
  total: number;
  noMatch: number;
  notClicked: number;
  top: { kind: SearchKind; id: string; text: string; lang: Lang } | null;
}

interface TenantLike {
  id: string;
  defaultLanguage: Lang;
  /** The tenant's languages: a query the page language cannot answer is tried in these too. */
  languages?: Lang[];
}

interface Alternative {
  /** PostgreSQL lexemes (stems) to look for; all of them for full credit (a multi-word synonym). */
  lexemes: string[];
  /** How much a match of this alternative counts (1 = the word itself). */
  factor: number;
}

interface Concept {
  word: string;
  alts: Alternative[];
  idf: number;
  /** Documents matching it (estimate): retrieval uses the rarest concepts within a budget. */
  df: number;
}

/** One tenant's index in one language, as PostgreSQL's weighted vectors say, per index version. */
interface Lexicon {
  version: number;
  n: number;
  docs: { kind: SearchKind; refId: string }[];
  /** Number of lexemes in each document's name. */
  nameWords: Uint8Array;
  /** lexeme → postings: document number × 4 + best weight (0 = A … 3 = D). */
  postings: Map<string, Uint32Array>;
  /** All lexemes, sorted, for prefix families and compounds. */
  lexemes: string[];
  words: Set<string>;
  /** Cache: query lexeme → indexed lexemes it matches and how well. */
  matches: Map<string, [string, number][]>;
}

const FTS_COLUMN: Record<Lang, string> = { fi: 'tsv_fi', sv: 'tsv_sv', en: 'tsv_en' };
const LABELS = ['A', 'B', 'C', 'D'];
const LABEL_WEIGHT = LABELS.map((l) => FIELD_WEIGHT[l]);
const CANDIDATES = 50;
const MIN_TYPO_SIMILARITY = 0.45;
/**
 * A confident answer covers enough of the query's weight (IDF-weighted field coverage): a
 * clear share, or a smaller one that stands well above the runner-up. Below that the results
 * are chance overlaps of everyday words, and the caller says nothing matched well.
 */
const CONFIDENT_COVERAGE = 0.22;
const CONFIDENT_COVERAGE_WITH_MARGIN = 0.15;
const CONFIDENT_MARGIN = 1.6;
/** Results scoring below this share of the top result are noise next to it and are not shown. */
const RELATIVE_CUTOFF = 0.3;
const UNIT_FACTOR = 0.85;
const NAME_COVERAGE_BONUS = 0.2;
const LITERAL_SYNONYM_FACTOR = 0.85;
const STEM_CACHE_MAX = 50_000;

export class RoutingService {
  private lexicons = new Map<string, Lexicon>();
  private building = new Map<string, Promise<Lexicon>>();
  private stems = new Map<string, string | null>();

  constructor(private db: Db) {}

  async route(tenant: TenantLike, q: string, lang: Lang, opts: RouteOptions = {}): Promise<RouteResponse> {
    const limit = opts.limit ?? (opts.suggest ? 6 : 10);
    const defaultLang = opts.defaultLang ?? tenant.defaultLanguage;
    const normalized = normalize(q).slice(0, 200);
    const [first, promoted] = await Promise.all([this.evaluate(tenant.id, lang, normalized), this.promotions(tenant.id, lang, normalized)]);
    let found = first;
    // Residents type in the language they think in, whatever the page's: when the page
    // language finds nothing good and does not know some of the words, the tenant's other
    // languages may (titles stay in the
    // page language where the item has one).
    if (!found.confident && found.unknownWords > 0 && !opts.suggest) {
      for (const other of tenant.languages ?? []) {
        if (other === lang) continue;
        const e = await this.evaluate(tenant.id, other, normalized);
        if (e.confident) {
          found = e;
          break;
        }
      }
    }
    const { ranked, totalIdf } = found;
    const confident = promoted.length > 0 || found.confident;
    const shown = ranked.filter((r) => r.score >= RELATIVE_CUTOFF * ranked[0].score);

    // Promoted items first (in their own order), then the ranking without them.
    const ordered: Ranked[] = [
      ...promoted.map((p) => ({ ...p, score: (ranked[0]?.score ?? 1) + 1, words: [], fields: [], promoted: true })),
      ...shown.filter((r) => !promoted.some((p) => p.kind === r.kind && p.refId === r.refId)),
    ].slice(0, limit);
    const results = await this.present(tenant.id, lang, defaultLang, ordered, totalIdf);
    let queryId: string | null = null;
    if (opts.log && !opts.suggest) {
      const top = confident ? results[0] : undefined;
      const r = await this.db.query<{ id: string }>(
        `insert into search_queries (tenant_id, q, lang, top_kind, top_ref_id, top_score, result_count)
         values ($1, $2, $3, $4, $5, $6, $7) returning id`,
        [tenant.id, redactPersonal(q.trim().slice(0, 200)), lang, top?.kind ?? null, top?.id ?? null, top?.score ?? null, confident ? results.length : 0],
      );
      queryId = r.rows[0].id;
    }
    return { queryId, confident, lang, results };
  }

  /** Analysis, ranking and confidence of a query in one language. */
  private async evaluate(
    tenantId: string,
    lang: Lang,
    normalized: string,
  ): Promise<{ ranked: Ranked[]; totalIdf: number; confident: boolean; unknownWords: number }> {
    const lex = await this.lexicon(tenantId, lang);
    const concepts = await this.analyze(tenantId, lang, normalized, lex);
    const ranked = this.rank(concepts, lex);
    const totalIdf = concepts.reduce((s, c) => s + c.idf, 0);
    const top = totalIdf > 0 && ranked[0] ? ranked[0].score / totalIdf : 0;
    const second = totalIdf > 0 && ranked[1] ? ranked[1].score / totalIdf : 0;
    const confident = top >= CONFIDENT_COVERAGE || (top >= CONFIDENT_COVERAGE_WITH_MARGIN && top >= CONFIDENT_MARGIN * second);
    return { ranked, totalIdf, confident, unknownWords: concepts.filter((c) => !c.alts.length).length };
  }

  /**
   * Records that the resident followed a result of a logged query; returns the item's
   * resident path (after /{lang}) or null when the query or the item is not this tenant's.
   * Only the first click of a query is kept: it is the one that answers "was the top result right".
   */
  async click(tenantId: string, queryId: string, kind: SearchKind, refId: string, rank: number): Promise<string | null> {
    const path = await this.itemPath(tenantId, kind, refId);
    if (!path) return null;
    await this.db.query(
      `update search_queries set clicked_kind = $3, clicked_ref_id = $4, clicked_rank = $5
       where tenant_id = $1 and id = $2 and clicked_kind is null`,
      [tenantId, queryId, kind, refId, rank],
    );
    return path;
  }

  /**
   * "What residents could not find": the period's most frequent queries (case-folded) that had
   * no confident result or whose top result was not the one opened, with the top result's title.
   * The log is anonymous, so reading it is not a personal-data access.
   */
  async report(tenantId: string, days: number, lang: Lang, limit = 50): Promise<ReportRow[]> {
    const r = await this.db.query<{ q: string; lang: Lang; total: number; no_match: number; not_clicked: number; top_kind: SearchKind | null; top_ref_id: string | null; names: Localized | null }>(
      `with hits as (
         select lower(q) as q, lang, count(*)::int as total,
                count(*) filter (where top_ref_id is null)::int as no_match,
                count(*) filter (where top_ref_id is not null and clicked_rank is distinct from 1)::int as not_clicked,
                mode() within group (order by top_kind) as top_kind,
                mode() within group (order by top_ref_id) as top_ref_id
         from search_queries
         where tenant_id = $1 and created_at >= now() - make_interval(days => $2)
         group by lower(q), lang)
       select h.*, d.doc->'names' as names from hits h
       left join search_documents d on d.tenant_id = $1 and d.kind = h.top_kind and d.ref_id = h.top_ref_id
       where h.no_match + h.not_clicked > 0
       order by h.no_match + h.not_clicked desc, h.total desc, h.q limit $3`,
      [tenantId, days, limit],
    );
    return r.rows.map((row) => ({
      q: row.q,
      lang: row.lang,
      total: row.total,
      noMatch: row.no_match,
      notClicked: row.not_clicked,
      top: row.top_ref_id && row.names ? { kind: row.top_kind!, id: row.top_ref_id, ...pickText(row.names, lang, lang) } : null,
    }));
  }

  /** The resident path (after /{lang}) of an indexed item of this tenant, or null. */
  async itemPath(tenantId: string, kind: SearchKind, refId: string): Promise<string | null> {
    const r = await this.db.query<{ path: string }>(`select doc->>'path' as path from search_documents where tenant_id = $1 and kind = $2 and ref_id = $3`, [
      tenantId,
      kind,
      refId,
    ]);
    return r.rows[0]?.path ?? null;
  }

  // --- query analysis -------------------------------------------------------------------

  private async analyze(tenantId: string, lang: Lang, normalized: string, lex: Lexicon): Promise<Concept[]> {
    const words = [...new Set(tokenize(normalized))].filter((w) => !isStopWord(lang, w));
    const synonyms = await this.synonyms(tenantId, lang);
    // Stems of every word, of every synonym term and expansion, and of every possible
    // compound part, in one round trip.
    const toStem = new Set<string>(words);
    for (const s of synonyms) {
      toStem.add(s.term);
      for (const w of tokenize(s.expansion)) toStem.add(w);
    }
    await this.stemAll(lang, [...toStem]);
    const stem = (w: string) => this.stems.get(`${lang}:${w}`) ?? null;
    const synonymStems = new Set(synonyms.filter((s) => !s.term.includes(' ')).map((s) => stem(s.term) ?? s.term));
    // Known (in any regular variant, see stemAlts) at all, or as itself or an inflected form
    // rather than only as a part of some longer compound.
    const known = (s: string | null) => !!s && stemAlts(lang, s, 1).some((a) => this.knownStem(lex, a.lexemes[0]));
    const strong = (s: string | null) => !!s && stemAlts(lang, s, 1).some((a) => this.matching(lex, a.lexemes[0]).some(([, q]) => q >= 0.85));
    const knownAlts = (s: string, factor: number) => stemAlts(lang, s, factor).filter((a) => this.knownStem(lex, a.lexemes[0]));
    // Words the index does not know may be compounds: stem all their possible parts at once.
    const parts = new Set<string>();
    for (const w of words) {
      if (strong(stem(w))) continue;
      for (let i = 3; i <= w.length - 3; i++) (parts.add(w.slice(i)), parts.add(w.slice(0, i)), parts.add(w.slice(0, i - 1)));
    }
    if (parts.size) await this.stemAll(lang, [...parts]);

    const concepts: Concept[] = [];
    const typos: string[] = [];
    for (const w of words) {
      const s = stem(w);
      if (s && isStopStem(lang, s)) continue;
      // When the catalog uses the resident's own word, that literal match leads and the
      // synonyms count a little less than when the word is unknown to it (päikky).
      const syn = this.synonymAlts(synonyms, w, s, normalized, stem).map((a) => (strong(s) ? { ...a, factor: a.factor * LITERAL_SYNONYM_FACTOR } : a));
      if (!s && !syn.length) continue; // a PostgreSQL stop word
      // A stem cut very short ("kot" of kotiin) finds no compounds; the word's first letters
      // do (koti → kotihoito).
      const head = s && s.length < 4 && w.length >= 5 && this.knownStem(lex, w.slice(0, 4)) ? [{ lexemes: [w.slice(0, 4)], factor: 0.8 }] : [];
      if (strong(s) || syn.length) {
        concepts.push(this.concept(w, [...(s ? knownAlts(s, 1) : []), ...head, ...syn], lex));
        continue;
      }
      if (head.length) {
        concepts.push(this.concept(w, head, lex));
        continue;
      }
      const vocab = {
        hasWord: (x: string) => lex.words.has(x),
        hasLexeme: (x: string) => lex.postings.has(x) || synonymStems.has(x),
      };
      const parts = splitCompound(w, vocab, stem);
      if (!parts && known(s)) {
        // Only part of longer indexed compounds, and no split of its own: keep it as it is.
        concepts.push(this.concept(w, knownAlts(s!, 1), lex));
        continue;
      }
      if (parts) {
        await this.stemAll(lang, parts);
        for (const p of parts) {
          const ps = stem(p);
          const psyn = this.synonymAlts(synonyms, p, ps, '', stem);
          const alts = [...(ps ? knownAlts(ps, 0.9) : []), ...psyn];
          if (alts.length) concepts.push(this.concept(p, alts, lex));
        }
        continue;
      }
      typos.push(w);
      concepts.push({ word: w, alts: [], idf: Math.log(1 + lex.n), df: 0 });
    }
    if (typos.length) {
      const corrections = await this.corrections(tenantId, lang, typos);
      await this.stemAll(lang, [...corrections.values()].flat().map((c) => c.word));
      for (const c of concepts) {
        if (c.alts.length) continue;
        const alts: Alternative[] = [];
        for (const k of corrections.get(c.word) ?? []) {
          const s = stem(k.word);
          if (s && lex.postings.has(s) && !alts.some((a) => a.lexemes[0] === s)) alts.push({ lexemes: [s], factor: Math.min(0.9, k.sim + 0.2) });
        }
        if (alts.length) Object.assign(c, this.concept(c.word, alts, lex));
      }
    }
    return concepts;
  }

  /** Expansions of the synonyms whose term is this word (or inflects like it); a multi-word expansion is one alternative. */
  private synonymAlts(
    synonyms: { term: string; expansion: string }[],
    word: string,
    stem: string | null,
    normalized: string,
    stemOf: (w: string) => string | null,
  ): Alternative[] {
    const alts: Alternative[] = [];
    for (const s of synonyms) {
      let hit: boolean;
      if (/[\s-]/.test(s.term)) hit = ` ${normalized} `.includes(` ${s.term} `) && s.term.split(/[\s-]/).includes(word);
      else {
        const ts = stemOf(s.term);
        // The term itself, or a form of it: same or nearly same stem, or (where the stemmer
        // leaves endings on) the term's letters but its last with an ending (gatlykta → gatlyktan).
        hit =
          s.term === word ||
          (!!stem && !!ts && (ts === stem || (ts.length >= 4 && stemMatch(stem, ts) >= 0.85))) ||
          (s.term.length >= 5 && word.startsWith(s.term.slice(0, -1)) && word.length - s.term.length <= 3);
      }
      if (!hit) continue;
      const words = tokenize(s.expansion);
      const candidates: string[][] = [];
      if (words.length === 1) {
        // A very short stem ("kat" of katko) matches little; the word itself finds compounds
        // (vesikatko), and the stem the word's own forms (fees → fee): both are tried.
        const e = stemOf(words[0]);
        if (e) candidates.push([e]);
        if (words[0].length >= 4 && (!e || e.length < 4)) candidates.push([words[0]]);
      } else {
        const lexemes = words.map((w) => stemOf(w)).filter((e): e is string => !!e);
        if (lexemes.length) candidates.push(lexemes);
      }
      for (const lexemes of candidates) if (!alts.some((a) => a.lexemes.join(' ') === lexemes.join(' '))) alts.push({ lexemes, factor: 0.95 });
    }
    return alts;
  }

  private concept(word: string, alts: Alternative[], lex: Lexicon): Concept {
    let df = 0;
    for (const a of alts) for (const l of a.lexemes) for (const [d] of this.matching(lex, l)) df = Math.max(df, lex.postings.get(d)!.length);
    df = Math.min(df, lex.n);
    return { word, alts, df, idf: Math.log(1 + (lex.n - df + 0.5) / (df + 0.5)) };
  }

  /** Does the index have this stem, or words it inflects or compounds into? */
  private knownStem(lex: Lexicon, stem: string): boolean {
    return this.matching(lex, stem).length > 0;
  }

  /**
   * Indexed lexemes a query stem matches, with the match quality (analyze.ts stemMatch):
   * itself, inflection variants sharing all but the last letters, and compounds it is part of.
   */
  private matching(lex: Lexicon, stem: string): [string, number][] {
    let hit = lex.matches.get(stem);
    if (hit) return hit;
    const found = new Map<string, number>();
    const consider = (d: string) => {
      if (found.has(d)) return;
      const m = stemMatch(stem, d);
      if (m > 0) found.set(d, m);
    };
    if (lex.postings.has(stem)) found.set(stem, 1);
    if (stem.length >= 4) {
      const prefix = stem.length >= 5 ? stem.slice(0, -1) : stem;
      for (let i = lowerBound(lex.lexemes, prefix); i < lex.lexemes.length && lex.lexemes[i].startsWith(prefix); i++) consider(lex.lexemes[i]);
      for (let k = 1; k <= 2 && stem.length - k >= 4; k++) if (lex.postings.has(stem.slice(0, -k))) consider(stem.slice(0, -k));
      let compounds = 0;
      for (const d of lex.lexemes) if (d.length > stem.length + 2 && d.indexOf(stem, 3) > 0 && compounds++ < 60) consider(d);
    }
    hit = [...found];
    if (lex.matches.size > 5000) lex.matches.clear();
    lex.matches.set(stem, hit);
    return hit;
  }

  private async stemAll(lang: Lang, words: string[]): Promise<void> {
    const missing = words.filter((w) => !this.stems.has(`${lang}:${w}`));
    if (!missing.length) return;
    const r = await this.db.query<{ w: string; t: string }>(`select w, to_tsvector($1::regconfig, w)::text as t from unnest($2::text[]) w`, [
      FTS_CONFIG[lang],
      missing,
    ]);
    if (this.stems.size > STEM_CACHE_MAX) this.stems.clear();
    for (const row of r.rows) {
      const lexemes = [...parseTsvector(row.t).keys()];
      // A single word stems to one lexeme; a stop word to none.
      this.stems.set(`${lang}:${row.w}`, lexemes.sort((a, b) => b.length - a.length)[0] ?? null);
    }
  }

  private async synonyms(tenantId: string, lang: Lang): Promise<{ term: string; expansion: string }[]> {
    const r = await this.db.query<{ term: string; expansion: string }>(`select term, expansion from search_synonyms where tenant_id = $1 and lang = $2`, [
      tenantId,
      lang,
    ]);
    return r.rows.map((s) => ({ term: normalize(s.term), expansion: normalize(s.expansion) }));
  }

  private async promotions(tenantId: string, lang: Lang, normalized: string): Promise<{ kind: SearchKind; refId: string }[]> {
    if (!normalized) return [];
    const r = await this.db.query<{ kind: SearchKind; ref_id: string; phrase: string }>(
      `select p.kind, p.ref_id, p.phrase from search_promotions p
       join search_documents d on d.tenant_id = p.tenant_id and d.kind = p.kind and d.ref_id = p.ref_id
       where p.tenant_id = $1 and p.lang = $2 order by p.created_at`,
      [tenantId, lang],
    );
    const padded = ` ${normalized} `;
    return r.rows.filter((p) => padded.includes(` ${normalize(p.phrase)} `)).map((p) => ({ kind: p.kind, refId: p.ref_id }));
  }

  /** Indexed words most similar to each unknown word (pg_trgm, GIN-indexed). */
  private async corrections(tenantId: string, lang: Lang, words: string[]): Promise<Map<string, { word: string; sim: number }[]>> {
    const r = await this.db.query<{ q: string; word: string; sim: number }>(
      `select q, v.word, v.sim from unnest($3::text[]) q
       cross join lateral (
         select word, similarity(word, q) as sim from search_vocabulary
         where tenant_id = $1 and lang = $2 and word % q and similarity(word, q) >= $4
         order by sim desc, ndoc desc limit 2) v`,
      [tenantId, lang, words.filter((w) => w.length >= 4), MIN_TYPO_SIMILARITY],
    );
    const out = new Map<string, { word: string; sim: number }[]>();
    for (const row of r.rows) {
      const list = out.get(row.q) ?? [];
      list.push({ word: row.word, sim: Number(row.sim) });
      out.set(row.q, list);
    }
    return out;
  }

  // --- retrieval and ranking ------------------------------------------------------------

  /**
   * Scores every document that matches any concept: per concept the best (field weight ×
   * match quality × alternative factor) over its alternatives, times the concept's IDF.
   */
  private rank(concepts: Concept[], lex: Lexicon): Ranked[] {
    // Dense arrays over the tenant's documents: a query touches thousands of postings on a
    // large catalog, and typed arrays keep that to a few milliseconds.
    const n = lex.docs.length;
    const scores = new Float64Array(n);
    const labels = new Uint8Array(n); // bit per weight label that contributed (reason.fields)
    const hits = new Uint32Array(n); // bit per concept that matched (the first 32; reason.words)
    const touched: number[] = [];
    const nameHits = new Uint8Array(n); // concepts matched in the name
    const best = new Float32Array(n); // this concept's best alternative
    const bestLabel = new Uint8Array(n).fill(3);
    const sum = new Float32Array(n); // this alternative's sum over its words
    const word = new Float32Array(n); // this word's best match
    concepts.forEach((c, ci) => {
      if (!c.alts.length) return;
      const conceptDocs: number[] = [];
      for (const a of c.alts) {
        const altDocs: number[] = [];
        for (const l of a.lexemes) {
          const wordDocs: number[] = [];
          for (const [d, quality] of this.matching(lex, l)) {
            const list = lex.postings.get(d)!;
            for (let i = 0; i < list.length; i++) {
              const doc = list[i] >>> 2;
              const label = list[i] & 3;
              const v = LABEL_WEIGHT[label] * quality;
              if (word[doc] === 0) wordDocs.push(doc);
              if (v > word[doc]) word[doc] = v;
              if (label < bestLabel[doc]) bestLabel[doc] = label;
            }
          }
          for (const doc of wordDocs) {
            if (sum[doc] === 0) altDocs.push(doc);
            sum[doc] += word[doc];
            word[doc] = 0;
          }
        }
        // A multi-word alternative counts the mean of its words' matches.
        for (const doc of altDocs) {
          const v = (sum[doc] / a.lexemes.length) * a.factor;
          if (best[doc] === 0) conceptDocs.push(doc);
          if (v > best[doc]) best[doc] = v;
          sum[doc] = 0;
        }
      }
      for (const doc of conceptDocs) {
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] += c.idf * best[doc];
        labels[doc] |= 1 << bestLabel[doc];
        if (bestLabel[doc] === 0) nameHits[doc]++;
        if (ci < 32) hits[doc] |= 1 << ci;
        best[doc] = 0;
        bestLabel[doc] = 3;
      }
    });
    for (const doc of touched) {
      // A name the query covers well is what the resident asked for ("varhaiskasvatuksen
      // asiakasmaksut" for "päiväkoti maksaa"), more than a name sharing one word.
      const names = lex.nameWords[doc];
      if (names) scores[doc] *= 1 + NAME_COVERAGE_BONUS * Math.min(1, nameHits[doc] / names);
      if (lex.docs[doc].kind === 'unit') scores[doc] *= UNIT_FACTOR;
    }
    touched.sort((a, b) => scores[b] - scores[a]);
    return touched.slice(0, CANDIDATES).map((doc) => ({
      kind: lex.docs[doc].kind,
      refId: lex.docs[doc].refId,
      score: scores[doc],
      words: concepts.filter((_, ci) => ci < 32 && hits[doc] & (1 << ci)).map((c) => c.word),
      fields: LABELS.filter((_, i) => labels[doc] & (1 << i)).map((l) => FIELD_NAME[l]),
    }));
  }

  private async present(tenantId: string, lang: Lang, defaultLang: Lang, ranked: Ranked[], totalIdf: number): Promise<RouteResult[]> {
    if (!ranked.length) return [];
    const r = await this.db.query<{ kind: SearchKind; ref_id: string; doc: SearchDocument }>(
      `select kind, ref_id, doc from search_documents where tenant_id = $1 and ref_id = any($2::uuid[])`,
      [tenantId, ranked.map((x) => x.refId)],
    );
    const docs = new Map(r.rows.map((row) => [`${row.kind}:${row.ref_id}`, row.doc]));
    const out: RouteResult[] = [];
    for (const x of ranked) {
      const doc = docs.get(`${x.kind}:${x.refId}`);
      if (!doc) continue;
      const title = pickText(doc.names, lang, defaultLang);
      const summary = pickText(doc.summary, lang, defaultLang);
      out.push({
        kind: x.kind,
        id: x.refId,
        externalId: doc.externalId,
        title: title.text,
        titleLang: title.lang,
        summary: summary.text,
        summaryLang: summary.lang,
        path: `/${lang}${doc.path}`,
        score: Math.round((totalIdf > 0 ? x.score / totalIdf : x.score) * 1000) / 1000,
        reason: { words: x.words, fields: x.fields, ...(x.promoted ? { promoted: true } : {}) },
      });
    }
    return out;
  }

  // --- per-tenant statistics ------------------------------------------------------------

  private async lexicon(tenantId: string, lang: Lang): Promise<Lexicon> {
    const v = await this.db.query<{ version: string }>(`select version from search_index_versions where tenant_id = $1`, [tenantId]);
    const version = v.rows[0] ? Number(v.rows[0].version) : 0;
    const key = `${tenantId}:${lang}`;
    const cached = this.lexicons.get(key);
    if (cached && cached.version === version) return cached;
    const buildKey = `${key}:${version}`;
    let p = this.building.get(buildKey);
    if (!p) {
      p = this.buildLexicon(tenantId, lang, version).finally(() => this.building.delete(buildKey));
      this.building.set(buildKey, p);
    }
    const lex = await p;
    this.lexicons.set(key, lex);
    return lex;
  }

  /**
   * Reads the tenant's weighted vectors into postings, and refreshes its vocabulary of surface
   * words (search_vocabulary, for pg_trgm typo lookups). Runs once per index version.
   */
  private async buildLexicon(tenantId: string, lang: Lang, version: number): Promise<Lexicon> {
    if (!/^[0-9a-f-]{36}$/i.test(tenantId)) throw new Error('bad tenant id');
    const col = FTS_COLUMN[lang];
    const rows = await this.db.query<{ kind: SearchKind; ref_id: string; tsv: string }>(
      `select kind, ref_id, ${col}::text as tsv from search_documents where tenant_id = $1 and ${col} <> ''::tsvector`,
      [tenantId],
    );
    const lists = new Map<string, number[]>();
    const docs: Lexicon['docs'] = [];
    const nameWords: number[] = [];
    for (const row of rows.rows) {
      const doc = docs.length;
      docs.push({ kind: row.kind, refId: row.ref_id });
      let names = 0;
      for (const [lexeme, label] of parseTsvector(row.tsv)) {
        if (label === 'A') names++;
        let list = lists.get(lexeme);
        if (!list) lists.set(lexeme, (list = []));
        list.push(doc * 4 + LABELS.indexOf(label));
      }
      nameWords.push(Math.min(255, names));
    }
    const postings = new Map<string, Uint32Array>();
    for (const [lexeme, list] of lists) postings.set(lexeme, Uint32Array.from(list));

    // ts_stat takes a query text; the tenant id is a checked UUID.
    const fields = ['names', 'alternativeNames', 'keywords', 'classes', 'summary', 'description']
      .map((f) => `coalesce(doc #>> ''{${f},${lang}}'', '''')`)
      .join(` || '' '' || `);
    await this.db.transaction(async (tx) => {
      await tx.query(
        `insert into search_vocabulary (tenant_id, lang, word, ndoc, version)
         select $1, $2, word, ndoc, $3 from ts_stat('select to_tsvector(''simple'', ${fields}) from search_documents where tenant_id = ''${tenantId}''')
         where length(word) between 2 and 60 and word !~ '^[0-9]' order by word
         on conflict (tenant_id, lang, word) do update set ndoc = excluded.ndoc, version = excluded.version`,
        [tenantId, lang, version],
      );
      await tx.query(`delete from search_vocabulary where tenant_id = $1 and lang = $2 and version < $3`, [tenantId, lang, version]);
    });
    const words = await this.db.query<{ word: string }>(`select word from search_vocabulary where tenant_id = $1 and lang = $2`, [tenantId, lang]);
    return {
      version,
      n: Math.max(1, docs.length),
      docs,
      nameWords: Uint8Array.from(nameWords),
      postings,
      lexemes: [...postings.keys()].sort(),
      words: new Set(words.rows.map((r) => r.word)),
      matches: new Map(),
    };
  }
}

interface Ranked {
  kind: SearchKind;
  refId: string;
  score: number;
  words: string[];
  fields: string[];
  promoted?: boolean;
}

/**
 * A stem and its regular variants. Finnish nouns in -s inflect with -kse- (kierrätys →
 * kierrätyksen, hakemus → hakemuksen), and the stemmer keeps the -ks: its -s form finds the
 * nominative and the compounds built on it (kierrätysasema).
 */
function stemAlts(lang: Lang, stem: string, factor: number): Alternative[] {
  const alts: Alternative[] = [{ lexemes: [stem], factor }];
  if (lang === 'fi' && stem.length >= 6 && stem.endsWith('ks')) alts.push({ lexemes: [`${stem.slice(0, -2)}s`], factor: factor * 0.95 });
  return alts;
}

/**
 * The log is anonymous, but residents sometimes type who they are: personal identity codes,
 * e-mail addresses and phone numbers are masked before a query is stored.
 */
export function redactPersonal(q: string): string {
  return q
    .replace(/\b\d{6}[-+ABCDEFUVWXYabcdefuvwxy]\d{3}[0-9A-Ya-y]\b/g, '[hetu]')
    .replace(/[^\s@]+@[^\s@]+\.[^\s@]+/g, '[email]')
    .replace(/\+?\d[\d\s-]{6,}\d/g, '[phone]');
}

function lowerBound(sorted: string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function pickText(value: Localized | undefined, lang: Lang, defaultLang: Lang): { text: string; lang: Lang } {
  const v = value ?? {};
  for (const l of [lang, defaultLang, 'fi', 'sv', 'en'] as Lang[]) if (v[l]) return { text: v[l]!, lang: l };
  return { text: '', lang };
}
