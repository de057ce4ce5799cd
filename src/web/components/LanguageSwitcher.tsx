import { useLocation } from 'react-router';
import { LANGUAGES, type Lang } from '../../platform/i18n.ts';

const NAMES: Record<Lang, string> = { fi: 'Suomeksi', sv: 'På svenska', en: 'In English' };

/** Links to the same page in the tenant's other languages; keeps path and query. */
export function LanguageSwitcher({ lang, languages, label }: { lang: Lang; languages: Lang[]; label: string }) {
  const location = useLocation();
  if (languages.length < 2) return null;
  const rest = location.pathname.replace(/^\/(fi|sv|en)(?=\/|$)/, '');
  return (
    <nav aria-label={label} className="lang-switcher">
      <ul>
        {LANGUAGES.filter((l) => languages.includes(l)).map((l) => (
          <li key={l}>
            {l === lang ? (
              <span aria-current="true" lang={l}>
                {NAMES[l]}
              </span>
            ) : (
              <a href={`/${l}${rest}${location.search}`} hrefLang={l} lang={l}>
                {NAMES[l]}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
