import { Form, redirect, useLoaderData } from 'react-router';
import { CsrfField } from '../components/Csrf.tsx';
import { useDistText } from '../staff/distribution-ui.tsx';
import { pageLang, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/**
 * The unsubscribe link in every press mail: a button that removes the address (mail
 * clients use the one-click POST of List-Unsubscribe instead). Removing twice is fine.
 */
export function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  return { lang, done: new URL(request.url).searchParams.get('done') === '1' };
}

export async function action({ context, params }: ActionArgs) {
  const lang = pageLang(context, params);
  await context.services.mediaList.unsubscribe(context.tenant.id, params.token ?? '');
  return redirect(`/${lang}/press/unsubscribe/${encodeURIComponent(params.token ?? '')}?done=1`);
}

export default function PressUnsubscribe() {
  const d = useLoaderData<typeof loader>();
  const t = useDistText();
  const title = d.done ? t('unsubDoneTitle') : t('unsubTitle');
  return (
    <div className="narrow">
      <title>{title}</title>
      <h1>{title}</h1>
      {d.done ? (
        <p role="status">{t('unsubDoneText')}</p>
      ) : (
        <>
          <p>{t('unsubText')}</p>
          <Form method="post" reloadDocument>
            <CsrfField />
            <button type="submit">{t('unsubButton')}</button>
          </Form>
        </>
      )}
    </div>
  );
}
