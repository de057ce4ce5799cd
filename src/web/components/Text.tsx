import { pick, type Lang, type Localized } from '../../platform/i18n.ts';

/**
 * A localized database field. When the text falls back to another language, the
 * fragment carries its own `lang` so screen readers pronounce it right.
 */
export function L({ value, lang, as: Tag = 'span', className }: { value: Localized | null | undefined; lang: Lang; as?: 'span' | 'p' | 'div' | 'h1' | 'h2' | 'h3'; className?: string }) {
  const { text, lang: used } = pick(value, lang);
  return (
    <Tag lang={used !== lang ? used : undefined} className={className}>
      {text}
    </Tag>
  );
}

/** Multi-paragraph plain text (paragraphs split on blank lines). */
export function Paragraphs({ value, lang }: { value: Localized | null | undefined; lang: Lang }) {
  const { text, lang: used } = pick(value, lang);
  return (
    <div lang={used !== lang ? used : undefined} className="prose">
      {text
        .split(/\n{2,}/)
        .filter((p) => p.trim())
        .map((p, i) => (
          <p key={i}>{p}</p>
        ))}
    </div>
  );
}
