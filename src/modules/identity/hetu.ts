/**
 * Finnish personal identity code (henkilötunnus, HETU): DDMMYYCZZZQ.
 * C is the century sign, ZZZ the individual number (900–999 are used for temporary and
 * test identities, as in Suomi.fi's test environment), Q the check character:
 * the nine digits DDMMYYZZZ as one integer, modulo 31, indexed into CHECK_CHARS.
 */
const CHECK_CHARS = '0123456789ABCDEFHJKLMNPRSTUVWXY';

// Since 2023 the 1900s and 2000s have extra century signs (Government Decree 128/2022).
const CENTURY: Record<string, number> = {
  '+': 1800,
  '-': 1900, Y: 1900, X: 1900, W: 1900, V: 1900, U: 1900,
  A: 2000, B: 2000, C: 2000, D: 2000, E: 2000, F: 2000,
};

const PATTERN = /^(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])$/;

export function hetuCheckChar(datePart: string, individual: string): string {
  if (!/^\d{6}$/.test(datePart) || !/^\d{3}$/.test(individual)) throw new Error('hetu: expected DDMMYY and ZZZ digits');
  return CHECK_CHARS[Number(datePart + individual) % 31];
}

export interface ParsedHetu {
  birthDate: string; // YYYY-MM-DD
  /** Odd individual number = male, even = female, in the code's own (legal) convention. */
  sex: 'male' | 'female';
  /** 900–999: temporary or test identity. */
  temporary: boolean;
}

/** Parses and validates a code (upper case expected); null when anything is wrong. */
export function parseHetu(code: string): ParsedHetu | null {
  const m = PATTERN.exec(code);
  if (!m) return null;
  const [, dd, mm, yy, sign, zzz, check] = m;
  const century = CENTURY[sign];
  if (century === undefined) return null;
  const n = Number(zzz);
  if (n < 2) return null;
  if (hetuCheckChar(dd + mm + yy, zzz) !== check) return null;
  const year = century + Number(yy);
  const date = new Date(Date.UTC(year, Number(mm) - 1, Number(dd)));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== Number(mm) - 1 || date.getUTCDate() !== Number(dd)) return null;
  return {
    birthDate: `${year}-${mm}-${dd}`,
    sex: n % 2 === 1 ? 'male' : 'female',
    temporary: n >= 900,
  };
}

export function isValidHetu(code: string): boolean {
  return parseHetu(code) !== null;
}

/** For display: 010280-952L → 010280-***L. The full code is never shown on a page. */
export function maskHetu(code: string): string {
  return code.length === 11 ? `${code.slice(0, 7)}***${code.slice(10)}` : '***';
}
