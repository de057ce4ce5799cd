import { data, Form, redirect, useActionData, useLoaderData } from 'react-router';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { residentAuth } from '../i18n/resident-auth.ts';
import { pageLang, runAction, safeNext, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** The built-in development identity provider: pick a test person, get a strong session. */
function devAdapter(context: LoaderArgs['context']) {
  const adapter = context.services.identity.dev;
  // Off (DEV_IDP=false, the production default) means the page does not exist at all.
  if (!adapter) throw data({ code: 'not_found' }, { status: 404 });
  return adapter;
}

export function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const adapter = devAdapter(context);
  return {
    lang,
    next: safeNext(new URL(request.url).searchParams.get('next'), `/${lang}/my`),
    persons: adapter.persons.map((p) => ({ code: p.nationalId, name: `${p.givenName} ${p.familyName}` })),
  };
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  const adapter = devAdapter(context);
  const form = await request.formData();
  const fields = { person: String(form.get('person') ?? ''), lang, next: String(form.get('next') ?? '') };
  return runAction(lang, async () => {
    const signed = await context.services.residents.completeStrong(
      {
        tenantId: context.tenant.id,
        ip: context.ip,
        lang,
        // A signed-in browser (resident or staff) swaps its session; the old one must not linger.
        priorSessionId: context.actor.kind === 'resident' || context.actor.kind === 'staff' ? context.actor.sessionId : undefined,
      },
      adapter,
      context.origin,
      fields,
    );
    await context.services.inboxLinking.afterSignIn(context.tenant.id, signed.residentId, request.headers.get('cookie'));
    return redirect(safeNext(signed.relay?.next, `/${lang}/my`), { headers: { 'set-cookie': context.cookies.session(signed.sessionToken) } });
  });
}

export default function DevIdp() {
  const { lang, next, persons } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = translator(residentAuth, lang);
  return (
    <div className="narrow">
      <title>{t('devPageTitle')}</title>
      <h1>{t('devPageTitle')}</h1>
      <p className="alert" role="note">
        <strong>{t('devWarning')}</strong>
      </p>
      {failed && 'message' in failed && (
        <p className="alert" role="alert">
          {failed.message}
        </p>
      )}
      <h2>{t('devChoose')}</h2>
      <div className="table-wrap">
        <table className="stack-narrow">
          <thead>
            <tr>
              <th scope="col">{t('personName')}</th>
              <th scope="col">{t('personCode')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('devChoose')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {persons.map((p) => (
              <tr key={p.code}>
                <th scope="row">{p.name}</th>
                <td className="nowrap">{p.code}</td>
                <td>
                  <Form method="post" reloadDocument>
                    <CsrfField />
                    <input type="hidden" name="person" value={p.code} />
                    <input type="hidden" name="next" value={next} />
                    <button type="submit">{t('devSignInAs', { name: p.name })}</button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
