import { Form, redirect, useLoaderData } from 'react-router';
import { AppError } from '../../platform/errors.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { useDistText } from '../staff/distribution-ui.tsx';
import { pageLang, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/**
 * The confirmation link of a press subscription. Opening it shows a button; only the
 * button's POST confirms, so a mail scanner that follows links confirms nothing.
 */
export function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const state = new URL(request.url).searchParams.get('state');
  return { lang, state: state === 'done' || state === 'invalid' ? state : null };
}

export async function action({ context, params }: ActionArgs) {
  const lang = pageLang(context, params);
  try {
    await context.services.mediaList.confirm(context.tenant.id, params.token ?? '');
  } catch (e) {
    if (e instanceof AppError && e.status === 404) return redirect(`/${lang}/press/subscribe/confirm/${encodeURIComponent(params.token ?? '')}?state=invalid`);
    throw e;
  }
  return redirect(`/${lang}/press/subscribe/confirm/${encodeURIComponent(params.token ?? '')}?state=done`);
}

export default function ConfirmPressSubscription() {
  const d = useLoaderData<typeof loader>();
  const t = useDistText();
  const title = d.state === 'done' ? t('confDoneTitle') : t('confTitle');
  return (
    <div className="narrow">
      <title>{title}</title>
      <h1>{title}</h1>
      {d.state === 'done' && <p role="status">{t('confDoneText')}</p>}
      {d.state === 'invalid' && (
        <div className="alert" role="alert">
          <p>{t('confInvalid')}</p>
        </div>
      )}
      {d.state === null && (
        <>
          <p>{t('confText')}</p>
          <Form method="post" reloadDocument>
            <CsrfField />
            <button type="submit">{t('confButton')}</button>
          </Form>
        </>
      )}
    </div>
  );
}
