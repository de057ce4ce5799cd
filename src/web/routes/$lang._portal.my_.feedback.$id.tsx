import { useLoaderData, useSearchParams } from 'react-router';
import { followPath } from '../../modules/feedback/notify.ts';
import { FeedbackCaseView } from '../components/FeedbackCaseView.tsx';
import { PortalNotFound } from '../components/PortalNotFound.tsx';
import { translator } from '../i18n/define.ts';
import { feedbackResident } from '../i18n/feedback-resident.ts';
import { caseNotice, PRIVATE_HEADERS } from '../feedback/follow-route.ts';
import { pageLang, requireResidentPage, runLoader, type LoaderArgs } from '../server-helpers.ts';

/** My Aukio: one own case, the same view as the private follow-up page. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireResidentPage(context, request, lang);
  const id = String(params.id ?? '');
  const [c, token] = await runLoader(() =>
    Promise.all([context.services.feedback.myCase(context.actor, context.tenant.id, id), context.services.feedback.myFollowToken(context.actor, context.tenant.id, id)]),
  );
  // The forms post to the follow page's action (it holds the token) and come back here.
  return { lang, c, formAction: followPath(lang, token) };
}

export function headers() {
  return PRIVATE_HEADERS;
}

export default function MyFeedbackCase() {
  const { lang, c, formAction } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const t = translator(feedbackResident, lang);
  const self = `/${lang}/my/feedback/${c.id}`;
  return (
    <div className="narrow">
      <p>
        <a href={`/${lang}/my/feedback`}>{t('backToMy')}</a>
      </p>
      <FeedbackCaseView
        c={c}
        lang={lang}
        formAction={formAction}
        returnTo={self}
        attachmentHref={(id) => `${self}/attachments/${id}`}
        notice={caseNotice(params)}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <PortalNotFound backLink={false} />;
}
