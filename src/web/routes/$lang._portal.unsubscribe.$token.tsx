import { data, useLoaderData } from 'react-router';
import { PortalNotFound } from '../components/PortalNotFound.tsx';
import { PRIVATE_HEADERS, useNlText } from '../newsletters/ui.tsx';
import { pageLang, runLoader, type LoaderArgs } from '../server-helpers.ts';

/** The unsubscribe link's page (GET /unsubscribe/:token leads here): a button, then the result. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const token = String(params.token ?? '');
  const s = await runLoader(() => context.services.subscriptions.view(context.tenant.id, token));
  const done = new URL(request.url).searchParams.get('done') === '1' || s.status === 'unsubscribed';
  return data({ lang, token, done, preferencesToken: s.preferencesToken }, { headers: PRIVATE_HEADERS });
}

export function headers() {
  return PRIVATE_HEADERS;
}

export default function UnsubscribePage() {
  const d = useLoaderData<typeof loader>();
  const t = useNlText();
  return (
    <div className="narrow">
      <title>{t('unsubTitle')}</title>
      <h1>{t('unsubTitle')}</h1>
      {d.done ? (
        <div className="notice" role="status">
          <p>{t('unsubDone')}</p>
        </div>
      ) : (
        <>
          <p>{t('unsubText')}</p>
          <form method="post" action={`/unsubscribe/${d.token}`}>
            <input type="hidden" name="List-Unsubscribe" value="One-Click" />
            <input type="hidden" name="from" value="page" />
            <button type="submit">{t('unsubscribeButton')}</button>
          </form>
        </>
      )}
      <p>
        <a href={`/${d.lang}/subscriptions/${d.preferencesToken}`}>{t('unsubPrefsLink')}</a>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <PortalNotFound />;
}
