import { data, redirect, useLoaderData } from 'react-router';
import { AppError } from '../../platform/errors.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { PRIVATE_HEADERS, useNlText } from '../newsletters/ui.tsx';
import { pageLang, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/**
 * The confirmation link of the double opt-in. Opening the link shows a button rather than
 * confirming at once, so a mail scanner that fetches every link cannot confirm for the owner.
 */
export async function loader({ context, params }: LoaderArgs) {
  const lang = pageLang(context, params);
  const valid = context.services.subscriptions.linkTokens.read('confirm', String(params.token ?? '')) !== null;
  return data({ lang, valid }, { headers: PRIVATE_HEADERS, status: valid ? 200 : 404 });
}

export async function action({ context, params }: ActionArgs) {
  const lang = pageLang(context, params);
  try {
    const r = await context.services.subscriptions.confirm(context.tenant.id, String(params.token ?? ''));
    const to = context.tenant.languages.includes(r.language) ? r.language : lang;
    return redirect(`/${to}/subscriptions/${r.preferencesToken}?notice=confirmed`);
  } catch (e) {
    if (e instanceof AppError) return data({ failed: true }, { status: e.status });
    throw e;
  }
}

export function headers() {
  return PRIVATE_HEADERS;
}

export default function ConfirmPage() {
  const d = useLoaderData<typeof loader>();
  const t = useNlText();
  if (!d.valid) {
    return (
      <div className="narrow">
        <title>{t('invalidLinkTitle')}</title>
        <h1>{t('invalidLinkTitle')}</h1>
        <p>{t('invalidLinkText')}</p>
        <p>
          <a href={`/${d.lang}/subscribe`}>{t('toSubscribe')}</a>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <title>{t('confirmTitle')}</title>
      <h1>{t('confirmTitle')}</h1>
      <p>{t('confirmText')}</p>
      <form method="post">
        <CsrfField />
        <button type="submit">{t('confirmButton')}</button>
      </form>
    </div>
  );
}
