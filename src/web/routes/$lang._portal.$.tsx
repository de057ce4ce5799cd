import { data } from 'react-router';
import { common } from '../i18n/common.ts';
import { translator } from '../i18n/define.ts';
import { useLang } from '../root.tsx';

/** Unknown resident paths: a 404 inside the portal, so the header and search remain. */
export function loader() {
  throw data({ code: 'not_found' }, { status: 404 });
}

export function ErrorBoundary() {
  const lang = useLang();
  const t = translator(common, lang);
  return (
    <>
      <title>{t('notFoundTitle')}</title>
      <h1>{t('notFoundTitle')}</h1>
      <p>{t('notFoundText')}</p>
      <p>
        <a href={`/${lang}`}>{t('backToFront')}</a>
      </p>
    </>
  );
}

export default function NotFound() {
  return null;
}
