import { useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { STATUS_NAMES } from '../../modules/feedback/notify.ts';
import { translator } from '../i18n/define.ts';
import { feedbackResident } from '../i18n/feedback-resident.ts';
import { pageLang, requireResidentPage, runLoader, type LoaderArgs } from '../server-helpers.ts';

/** My Aukio: the feedback the signed-in resident has sent. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireResidentPage(context, request, lang);
  const items = await runLoader(() => context.services.feedback.myCases(context.actor, context.tenant.id));
  return { lang, items };
}

export function headers() {
  return { 'cache-control': 'private, no-store' };
}

export default function MyFeedback() {
  const { lang, items } = useLoaderData<typeof loader>();
  const t = translator(feedbackResident, lang);
  const date = (iso: string) => new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : `${lang}-FI`, { dateStyle: 'medium', timeZone: 'Europe/Helsinki' }).format(new Date(iso));
  return (
    <div className="narrow">
      <title>{t('myFeedbackTitle')}</title>
      <h1>{t('myFeedbackTitle')}</h1>
      <p>{t('myFeedbackIntro')}</p>
      {items.length === 0 ? (
        <p>{t('myFeedbackNone')}</p>
      ) : (
        <ul className="my-feedback">
          {items.map((c) => {
            const name = pick(c.categoryNames, lang);
            return (
              <li key={c.id}>
                <a href={`/${lang}/my/feedback/${c.id}`}>
                  {t('followTitle', { number: c.number })}: <span lang={name.lang !== lang ? name.lang : undefined}>{name.text}</span>
                </a>
                <p className="hint">
                  {STATUS_NAMES[c.status][lang]} · {t('sentAt')} {date(c.createdAt)}
                </p>
              </li>
            );
          })}
        </ul>
      )}
      <p>
        <a href={`/${lang}/feedback/new`}>{t('giveFeedback')}</a>
      </p>
    </div>
  );
}
