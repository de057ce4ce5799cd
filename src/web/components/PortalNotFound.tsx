import { common } from '../i18n/common.ts';
import { translator } from '../i18n/define.ts';
import { useLang } from '../root.tsx';

/**
 * The resident portal's 404 content, shown by the ErrorBoundary of portal routes so the
 * header and search remain. `backLink` adds the way back to the front page (pages that
 * already link elsewhere leave it out).
 */
export function PortalNotFound({ backLink = true }: { backLink?: boolean }) {
  const lang = useLang();
  const t = translator(common, lang);
  return (
    <>
      <title>{t('notFoundTitle')}</title>
      <h1>{t('notFoundTitle')}</h1>
      <p>{t('notFoundText')}</p>
      {backLink && (
        <p>
          <a href={`/${lang}`}>{t('backToFront')}</a>
        </p>
      )}
    </>
  );
}
