import type { Lang } from '../../platform/i18n.ts';

/**
 * Query analysis that needs no database: normalization, stop words, trigram similarity,
 * compound splitting against a known vocabulary, and reading PostgreSQL tsvector text.
 * The routing engine (routing.ts) feeds these with stems from PostgreSQL's own
 * finnish/swedish/english configurations, so query words and indexed words stem alike.
 */

export const FTS_CONFIG: Record<Lang, string> = { fi: 'finnish', sv: 'swedish', en: 'english' };

/**
 * Everyday question and filler words that carry no topic ("how much", "where can I", "my").
 * PostgreSQL's stop word lists cover pronouns and auxiliaries; these are what residents add
 * around the topic. General words only — never answers to particular queries.
 */
const EXTRA_STOP: Record<Lang, string[]> = {
  fi: [
    'mihin', 'minne', 'missä', 'mistä', 'mitä', 'mikä', 'mitkä', 'miten', 'miksi', 'milloin', 'kuinka', 'paljonko', 'montako',
    'saanko', 'saako', 'voinko', 'voiko', 'voin', 'voi', 'voisin', 'onko', 'olisiko', 'pitääkö', 'pitää', 'pitäisi', 'täytyy',
    'tarvitsen', 'tarvitsisin', 'haluan', 'haluaisin', 'kun', 'jos', 'vaikka', 'että', 'koska', 'meidän', 'minun', 'mun',
    'mulla', 'minulla', 'meillä', 'sinun', 'teidän', 'enää', 'vielä', 'nyt', 'jo', 'myös', 'kanssa', 'kiitos', 'hei', 'moi',
    'apua', 'asia', 'asiaa', 'joku', 'jokin', 'jotain', 'jossain', 'pois', 'ihan', 'vaan', 'sitten', 'taas', 'aina', 'tehdä', 'teen', 'teenkö', 'kenelle', 'keneen', 'kehen',
    'saa', 'saan', 'saada', 'sain', 'oli', 'olen', 'ole', 'on', 'ei',
  ],
  sv: [
    'hur', 'var', 'vart', 'vad', 'vem', 'vilken', 'vilket', 'vilka', 'när', 'varför', 'mycket', 'kan', 'jag', 'vi', 'min',
    'mitt', 'mina', 'vår', 'vårt', 'ska', 'skall', 'måste', 'behöver', 'vill', 'får', 'finns', 'blir', 'göra', 'gör', 'hej',
    'tack', 'hjälp', 'någon', 'något', 'efter', 'från', 'framför',
  ],
  en: [
    'how', 'where', 'what', 'who', 'which', 'when', 'why', 'much', 'many', 'can', 'could', 'i', 'we', 'my', 'our', 'need',
    'want', 'get', 'do', 'does', 'please', 'help', 'hello', 'someone', 'something', 'using', 'use', 'per', 'tell',
  ],
};
const STOP: Record<Lang, Set<string>> = {
  fi: new Set(EXTRA_STOP.fi),
  sv: new Set(EXTRA_STOP.sv),
  en: new Set(EXTRA_STOP.en),
};

export function isStopWord(lang: Lang, word: string): boolean {
  return STOP[lang].has(word);
}

/**
 * Stems of everyday verbs of wanting and needing in every inflection ("tarvitsee", "tarvitaan",
 * "haluaisimme"): a question is about its topic, not about needing it.
 */
const STOP_STEMS: Record<Lang, Set<string>> = {
  fi: new Set(['tarv', 'tarvits', 'tarvitsis', 'tarvit', 'halu', 'halua', 'haluais', 'pitä', 'täyty', 'vois', 'tehd']),
  sv: new Set(['behöv', 'vill', 'måst']),
  en: new Set(['need', 'want']),
};

export function isStopStem(lang: Lang, stem: string): boolean {
  return STOP_STEMS[lang].has(stem);
}

/** Lowercase NFC text with only letters, digits, spaces and inner hyphens. */
export function normalize(q: string): string {
  return q
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]+/gu, ' ')
    .replace(/(^|\s)-+|-+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words a query is made of: hyphenated words count as their parts ("pin-koodi"), bare numbers are dropped. */
export function tokenize(normalized: string): string[] {
  return normalized
    .split(/[\s-]+/)
    .filter((w) => w.length > 0 && !/^\p{N}+$/u.test(w));
}

/** pg_trgm's trigrams of one word: padded with two spaces in front and one behind. */
export function trigrams(word: string): Set<string> {
  const padded = `  ${word} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

/** pg_trgm similarity(): shared trigrams over all trigrams of the two words. */
export function similarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared);
}

/** What compound splitting needs to know about the indexed words. */
export interface Vocabulary {
  /** A surface word that occurs in the indexed text (lowercase, unstemmed). */
  hasWord(word: string): boolean;
  /** A stem (PostgreSQL lexeme) that occurs in the index. */
  hasLexeme(lexeme: string): boolean;
}

const MIN_PART = 4;

/**
 * Splits a Finnish or Swedish compound into two parts that the index knows: the first part
 * must be an indexed word or stem (Swedish joins with -s-: "barnskydds|anmälan"), the second
 * must stem to an indexed stem (the caller passes stems of every possible tail). Longer,
 * more balanced splits win; a part that is itself a compound is split once more.
 * Returns the surface parts, e.g. kuntosalikortti → [kuntosali, kortti].
 */
export function splitCompound(word: string, vocab: Vocabulary, stemOf: (w: string) => string | null, depth = 0): string[] | null {
  let best: { parts: string[]; score: number } | null = null;
  for (let i = MIN_PART; i <= word.length - MIN_PART; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    const headOk = knownHead(head, vocab, stemOf);
    if (!headOk) continue;
    const tailStem = stemOf(tail);
    let tailParts: string[] | null = null;
    if (tailStem && vocab.hasLexeme(tailStem)) tailParts = [tail];
    else if (depth === 0 && tail.length >= 2 * MIN_PART) tailParts = splitCompound(tail, vocab, stemOf, 1);
    if (!tailParts) continue;
    const parts = [headOk, ...tailParts];
    // Prefer few parts, then the most even split (its shortest part longest).
    const score = -parts.length * 100 + Math.min(...parts.map((p) => p.length));
    if (!best || score > best.score) best = { parts, score };
  }
  return best?.parts ?? null;
}

function knownHead(head: string, vocab: Vocabulary, stemOf: (w: string) => string | null): string | null {
  if (vocab.hasWord(head)) return head;
  const s = stemOf(head);
  if (s && vocab.hasLexeme(s) && s.length >= MIN_PART + 1) return head;
  // Swedish (and some Finnish) compounds join with -s-: "barnskydds", "integrations".
  if (head.endsWith('s') && head.length > MIN_PART + 1) {
    const bare = head.slice(0, -1);
    if (vocab.hasWord(bare)) return bare;
    const sb = stemOf(bare);
    if (sb && vocab.hasLexeme(sb)) return bare;
  }
  return null;
}

/** Field weights by tsvector weight label: A names, B alternative names and keywords, C classes and summary, D description. */
export const FIELD_WEIGHT: Record<string, number> = { A: 1, B: 0.75, C: 0.45, D: 0.22 };
export const FIELD_NAME: Record<string, string> = { A: 'name', B: 'keywords', C: 'summary', D: 'description' };

/**
 * Reads a tsvector's text form ('uimahal':1A,5C 'aukiolo':3) into lexeme → best weight label.
 * Positions without a label are weight D.
 */
export function parseTsvector(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /'((?:[^']|'')+)'(?::([0-9A-D,]+))?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const lexeme = m[1].replace(/''/g, "'");
    let best = 'D';
    if (m[2]) {
      for (const p of m[2].split(',')) {
        const label = /[A-D]$/.test(p) ? p[p.length - 1] : 'D';
        if (label < best) best = label;
      }
    }
    out.set(lexeme, best);
  }
  return out;
}

/**
 * How well a query stem matches an indexed stem, 0..1. Exact is 1; Finnish consonant gradation
 * and inflection leave stems differing in their last letters (päiväkot/päiväkod); a stem that
 * is the head or tail of an indexed compound (kortt in kirjastokort) matches partly.
 */
export function stemMatch(q: string, d: string): number {
  if (q === d) return 1;
  const short = q.length < d.length ? q : d;
  const long = short === q ? d : q;
  if (short.length >= 4 && long.startsWith(short)) {
    const diff = long.length - short.length;
    if (diff <= (short.length >= 5 ? 2 : 1)) return 0.92; // inflection left in the stem
    return q === short && diff >= 3 ? 0.6 : 0; // the head of an indexed compound (vesi|katko)
  }
  if (q.length >= 4 && d.length > q.length + 2) {
    // A part of an indexed compound: the tail (kirjasto|kortti) names what the thing is.
    if (d.endsWith(q)) return 0.7;
    const at = d.indexOf(q, 3);
    if (at > 0) return 0.55;
  }
  if (short.length >= 5) {
    let lcp = 0;
    while (lcp < short.length && q[lcp] === d[lcp]) lcp++;
    if (lcp >= 4 && lcp >= long.length - 2 && lcp >= short.length - 1) return 0.85;
  }
  return 0;
}
