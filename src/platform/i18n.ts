/** Languages Aukio speaks. A tenant enables a subset and picks a default. */
export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

/** A localized field as stored in the database: {fi, sv, en}, any of them may be missing. */
export type Localized = Partial<Record<Lang, string>>;

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

/**
 * Picks the text for lang, falling back to the given languages in order, then any.
 * Returns the language actually used so markup can set `lang` on the fragment.
 */
export function pick(value: Localized | null | undefined, lang: Lang, fallbacks: Lang[] = []): { text: string; lang: Lang } {
  const v = value ?? {};
  for (const l of [lang, ...fallbacks, ...LANGUAGES]) {
    const t = v[l];
    if (t && t.trim()) return { text: t, lang: l };
  }
  return { text: '', lang };
}

/** Best language from an Accept-Language header among the allowed ones. */
export function negotiateLanguage(header: string | undefined, allowed: readonly Lang[], fallback: Lang): Lang {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) if (isLang(tag) && allowed.includes(tag)) return tag;
  return fallback;
}
