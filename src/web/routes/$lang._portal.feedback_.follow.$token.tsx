import { data, useActionData, useLoaderData } from 'react-router';
import { followPath } from '../../modules/feedback/notify.ts';
import { FeedbackCaseView } from '../components/FeedbackCaseView.tsx';
import { PortalNotFound } from '../components/PortalNotFound.tsx';
import { caseNotice, followAction, PRIVATE_HEADERS } from '../feedback/follow-route.ts';
import { useRoot } from '../root.tsx';
import { pageLang, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** The private follow-up page of one case, reached by the link in the receipt e-mail. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const token = String(params.token ?? '');
  const c = await runLoader(() => context.services.feedback.followView(context.tenant.id, token));
  const q = new URL(request.url).searchParams;
  const notice: 'sent' | 'info' | 'fixed' | null = q.get('sent') === '1' ? 'sent' : caseNotice(q);
  return data({ lang, c, token, notice }, { headers: PRIVATE_HEADERS });
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  return followAction(context, request, lang, String(params.token ?? ''));
}

export function headers() {
  // Error responses too: a wrong token's 404 must not be indexed either.
  return PRIVATE_HEADERS;
}

export default function FollowPage() {
  const { lang, c, token, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { origin } = useRoot();
  const path = followPath(lang, token);
  return (
    <div className="narrow">
      <FeedbackCaseView
        c={c}
        lang={lang}
        formAction={path}
        attachmentHref={(id) => `${path}/attachments/${id}`}
        notice={notice}
        privateUrl={`${origin}${path}`}
        error={result && 'error' in result ? result.error : null}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <PortalNotFound />;
}
