import type { Lang } from '../../platform/i18n.ts';

/**
 * UI texts, one dictionary per area, in all three languages. The type makes a missing
 * translation a compile error: sv and en must have exactly fi's keys.
 */
export type Messages<T extends Record<string, string>> = { fi: T; sv: { [K in keyof T]: string }; en: { [K in keyof T]: string } };

export function defineMessages<T extends Record<string, string>>(m: Messages<T>): Messages<T> {
  return m;
}

/** Fills {name} placeholders. */
export function format(text: string, vars: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

export function translator<T extends Record<string, string>>(m: Messages<T>, lang: Lang) {
  const dict = m[lang] as Record<keyof T, string>;
  return (key: keyof T, vars?: Record<string, string | number>) => format(dict[key], vars);
}
