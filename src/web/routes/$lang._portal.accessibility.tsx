import { useLoaderData } from 'react-router';
import { Paragraphs } from '../components/Text.tsx';
import { portal } from '../i18n/portal.ts';
import { translator } from '../i18n/define.ts';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';

/** The accessibility statement the law requires; tenant admins edit it in Settings. */
export function loader({ context, params }: LoaderArgs) {
  const lang = pageLang(context, params);
  return { lang, statement: context.tenant.accessibilityStatement };
}

export default function AccessibilityStatement() {
  const { lang, statement } = useLoaderData<typeof loader>();
  const t = translator(portal, lang);
  return (
    <article className="narrow">
      <title>{t('accessibilityTitle')}</title>
      <h1>{t('accessibilityTitle')}</h1>
      <Paragraphs value={statement} lang={lang} />
    </article>
  );
}
