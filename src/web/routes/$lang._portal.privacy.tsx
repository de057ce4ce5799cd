import { useLoaderData } from 'react-router';
import { Paragraphs } from '../components/Text.tsx';
import { portal } from '../i18n/portal.ts';
import { translator } from '../i18n/define.ts';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';

export function loader({ context, params }: LoaderArgs) {
  const lang = pageLang(context, params);
  return { lang, notice: context.tenant.privacyNotice };
}

export default function Privacy() {
  const { lang, notice } = useLoaderData<typeof loader>();
  const t = translator(portal, lang);
  return (
    <article className="narrow">
      <title>{t('privacyTitle')}</title>
      <h1>{t('privacyTitle')}</h1>
      <Paragraphs value={notice} lang={lang} />
    </article>
  );
}
