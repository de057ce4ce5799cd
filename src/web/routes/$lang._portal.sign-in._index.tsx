import { redirect, useLoaderData } from 'react-router';
import { translator } from '../i18n/define.ts';
import { residentAuth } from '../i18n/resident-auth.ts';
import { pageLang, safeNext, type LoaderArgs } from '../server-helpers.ts';

/** The resident's choice of identification: Suomi.fi, the test IdP, or an e-mailed code. */
export function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const url = new URL(request.url);
  const next = safeNext(url.searchParams.get('next'), `/${lang}/my`);
  if (context.actor.kind === 'resident') throw redirect(next);
  return {
    lang,
    next,
    expired: url.searchParams.get('expired') === '1' || context.sessionStatus === 'expired',
    suomifi: context.services.identity.suomifi !== null,
    dev: context.services.identity.dev !== null,
  };
}

export default function ResidentSignIn() {
  const { lang, next, expired, suomifi, dev } = useLoaderData<typeof loader>();
  const t = translator(residentAuth, lang);
  const q = `?next=${encodeURIComponent(next)}`;
  return (
    <div className="narrow">
      <title>{t('signInTitle')}</title>
      <h1>{t('signInTitle')}</h1>
      {expired && (
        <p className="info" role="status">
          {t('sessionExpired')}
        </p>
      )}
      <p>{t('signInIntro')}</p>
      {/* One column, strongest first: a resident reads the options top to bottom and the
          first one that fits is the one to pick. The badge says which is recommended and
          which is not for residents at all. */}
      <ul className="sign-in-methods" aria-label={t('methodsLabel')}>
        {suomifi && (
          <li>
            <h2>{t('suomifiTitle')}</h2>
            <p className="badge">{t('recommended')}</p>
            <p>{t('suomifiText')}</p>
            <a className="button" href={`/${lang}/sign-in/suomifi${q}`}>
              {t('suomifiButton')}
            </a>
          </li>
        )}
        <li>
          <h2>{t('emailTitle')}</h2>
          <p>{t('emailText')}</p>
          <a className={suomifi ? 'button secondary' : 'button'} href={`/${lang}/sign-in/email${q}`}>
            {t('emailButton')}
          </a>
        </li>
        {dev && (
          <li className="sign-in-test">
            <h2>{t('devTitle')}</h2>
            <p className="badge">{t('testOnly')}</p>
            <p>{t('devText')}</p>
            <a className="button secondary" href={`/${lang}/dev-idp${q}`}>
              {t('devButton')}
            </a>
          </li>
        )}
      </ul>
    </div>
  );
}
