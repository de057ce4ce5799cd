import { describe, expect, it } from 'vitest';
import { isStopWord, normalize, parseTsvector, similarity, splitCompound, stemMatch, tokenize } from './analyze.ts';

describe('query normalization', () => {
  it('lowercases, keeps letters with diacritics and inner hyphens, drops punctuation', () => {
    expect(normalize('  Uimahallin AUKIOLOAJAT?! ')).toBe('uimahallin aukioloajat');
    expect(normalize('Kirjastokortin PIN-koodi – unohtui.')).toBe('kirjastokortin pin-koodi unohtui');
    expect(normalize('Bygglov för carport')).toBe('bygglov för carport');
  });

  it('splits hyphenated words into parts and drops bare numbers', () => {
    expect(tokenize(normalize('vuokra-asunnon vaihto 2025'))).toEqual(['vuokra', 'asunnon', 'vaihto']);
    expect(tokenize(normalize('koulukyyti yli 5 km'))).toEqual(['koulukyyti', 'yli', 'km']);
  });

  it('knows everyday question words as stop words per language', () => {
    expect(isStopWord('fi', 'paljonko')).toBe(true);
    expect(isStopWord('fi', 'uimahalli')).toBe(false);
    expect(isStopWord('sv', 'hur')).toBe(true);
    expect(isStopWord('en', 'where')).toBe(true);
  });
});

describe('trigram similarity (as pg_trgm computes it)', () => {
  it('scores a one-letter typo high and an unrelated word low', () => {
    expect(similarity('rakenuslupa', 'rakennuslupa')).toBeGreaterThan(0.6);
    expect(similarity('uimahali', 'uimahalli')).toBeGreaterThan(0.6);
    expect(similarity('uimahalli', 'kirjasto')).toBeLessThan(0.1);
  });
});

describe('compound splitting', () => {
  // A toy index: surface words and (pretend) stems of the catalog text.
  const words = new Set(['kuntosali', 'kortti', 'koulu', 'jäte', 'asema', 'barnskydd', 'anmälan', 'kiinteistö', 'vero']);
  const stems = new Set(['kuntosal', 'kort', 'koulu', 'jäte', 'asem', 'anmäl', 'vero', 'prosent']);
  const vocab = { hasWord: (w: string) => words.has(w), hasLexeme: (l: string) => stems.has(l) };
  // A crude stemmer standing in for PostgreSQL's: strip common endings.
  const stemOf = (w: string) => w.replace(/(illa|alle|ssa|ti|in|an|i|a)$/, '') || null;

  it('splits Finnish compounds into known parts', () => {
    expect(splitCompound('kuntosalikortti', vocab, stemOf)).toEqual(['kuntosali', 'kortti']);
    expect(splitCompound('jäteasemalle', vocab, stemOf)).toEqual(['jäte', 'asemalle']);
  });

  it('splits a Swedish compound joined with -s-', () => {
    expect(splitCompound('barnskyddsanmälan', vocab, stemOf)).toEqual(['barnskydd', 'anmälan']);
  });

  it('splits three-part compounds and refuses unknown words', () => {
    expect(splitCompound('kiinteistöveroprosentti', vocab, stemOf)).toEqual(['kiinteistö', 'vero', 'prosentti']);
    expect(splitCompound('zorblaxfoo', vocab, stemOf)).toBeNull();
  });
});

describe('stem matching', () => {
  it('matches Finnish consonant gradation and inflection left in stems', () => {
    expect(stemMatch('päiväkod', 'päiväkot')).toBeGreaterThan(0.8);
    expect(stemMatch('uimahal', 'uimahal')).toBe(1);
    expect(stemMatch('sairas', 'saira')).toBeGreaterThan(0.8);
  });

  it('matches the parts of indexed compounds, weaker than the word itself', () => {
    expect(stemMatch('kort', 'kirjastokort')).toBe(0.7);
    expect(stemMatch('vesi', 'vesikatko')).toBe(0.6);
    expect(stemMatch('maks', 'asiakasmaksu')).toBeGreaterThan(0);
  });

  it('does not confuse short unrelated stems', () => {
    expect(stemMatch('koko', 'kokous')).toBe(0);
    expect(stemMatch('kat', 'katu')).toBe(0);
  });
});

describe('tsvector text', () => {
  it('reads each lexeme with its best weight', () => {
    const v = parseTsvector(`'uimahal':1A,5C 'aukiolo':3 'it''s':4B`);
    expect(v.get('uimahal')).toBe('A');
    expect(v.get('aukiolo')).toBe('D');
    expect(v.get("it's")).toBe('B');
  });
});

describe('query log redaction', async () => {
  const { redactPersonal } = await import('./routing.ts');
  it('masks identity codes, e-mail addresses and phone numbers, and keeps the rest', () => {
    expect(redactPersonal('hetu 010203A123B toimeentulotuki')).toBe('hetu [hetu] toimeentulotuki');
    expect(redactPersonal('matti.m@example.fi päikky')).toBe('[email] päikky');
    expect(redactPersonal('soita +358 40 123 4567')).toBe('soita [phone]');
    expect(redactPersonal('kiinteistöveroprosentti 2025')).toBe('kiinteistöveroprosentti 2025');
  });
});
