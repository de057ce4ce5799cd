import { data, Form, redirect, useActionData, useLoaderData, type HeadersArgs } from 'react-router';
import { API_SCOPE_DOCS, API_SCOPES } from '../../modules/identity/api-tokens.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { AdminErrorBoundary, describedBy, FieldError, FormAlert, useAdminText } from '../staff/AdminParts.tsx';
import { fieldId, formatHelsinki, formCommand, formValues, requireConsoleRole, type FormFailure } from '../staff/admin-page.ts';
import type { ActionArgs, LoaderArgs } from '../server-helpers.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { Open311KeyNote } from '../staff/Open311KeyNote.tsx';

/** API tokens for integrations (tenant admins): list, create (secret shown once), revoke. */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  const tokens = await context.services.apiTokens.list(context.tenant.id);
  return {
    lang,
    tokens,
    scopes: API_SCOPES.map((s) => ({ scope: s, description: API_SCOPE_DOCS[s][lang] })),
    revoked: new URL(request.url).searchParams.get('revoked') === '1',
    open311: { endpoint: `${context.origin}/open311/v2`, jurisdiction: context.tenant.slug },
  };
}

/** A document response takes no headers from the action unless the route passes them on. */
export function headers({ actionHeaders }: HeadersArgs) {
  const out = new Headers();
  const cc = actionHeaders.get('cache-control');
  if (cc) out.set('cache-control', cc);
  return out;
}

interface Created {
  ok: true;
  created: { name: string; token: string; prefix: string; scopes: string[] };
}

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  const form = await request.formData();
  const intent = form.get('intent');
  if (intent === 'revoke') {
    return formCommand(lang, async () => {
      await context.services.apiTokens.revokeAudited(context.tenant.id, context.actor, String(form.get('id') ?? ''));
      return redirect(`/${lang}/staff/api-tokens?revoked=1`);
    });
  }
  const values = formValues(form);
  return formCommand(
    lang,
    async () => {
      const scopes = form.getAll('scopes').filter((v): v is string => typeof v === 'string');
      const created = await context.services.apiTokens.issue(context.tenant.id, context.actor, {
        name: String(form.get('name') ?? ''),
        scopes,
      });
      // The secret is in this one response only: never cached, never in a URL.
      return data<Created>(
        { ok: true, created: { name: created.name, token: created.token, prefix: created.prefix, scopes: created.scopes } },
        { headers: { 'cache-control': 'no-store' } },
      );
    },
    values,
  );
}

export default function ApiTokens() {
  const { lang, tokens, scopes, revoked, open311 } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Created | FormFailure | undefined;
  const t = useAdminText();
  const failure = result && !result.ok ? result : undefined;
  const created = result && result.ok ? result.created : undefined;
  const fields = failure?.fields;
  const chosen = failure ? [failure.values.scopes ?? []].flat() : [];
  return (
    <>
      <title>{t('tokensTitle')}</title>
      <h1>{t('tokensTitle')}</h1>
      <p>{t('tokensIntro')}</p>
      {revoked && !result && (
        <div className="notice" role="status">
          <p>{t('tokenRevoked')}</p>
        </div>
      )}
      {created && (
        <div className="notice" role="status">
          <h2>{t('createdTitle', { name: created.name })}</h2>
          <p>{t('createdOnce')}</p>
          <p>
            <label htmlFor="new-token">{t('secretLabel')}</label>
            <input id="new-token" type="text" readOnly value={created.token} className="token-secret" autoComplete="off" spellCheck={false} />
          </p>
        </div>
      )}
      <FormAlert message={failure?.message} fields={fields} t={t} />

      {/* An empty seven-column table only says "nothing here" in a harder way. */}
      {tokens.length === 0 ? (
        <p>{t('noTokens')}</p>
      ) : (
        <TableWrap label={t('tokensTitle')}>
          <table>
            <caption className="visually-hidden">{t('tokensTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colName')}</th>
                <th scope="col">{t('colPrefix')}</th>
                <th scope="col">{t('colScopes')}</th>
                <th scope="col">{t('colCreated')}</th>
                <th scope="col">{t('colLastUsed')}</th>
                <th scope="col">{t('colStatus')}</th>
                <th scope="col">{t('colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((tok) => (
                <tr key={tok.id}>
                  <td>{tok.name}</td>
                  <td>
                    <code>{tok.prefix}…</code>
                  </td>
                  <td>
                    {tok.scopes.map((s) => (
                      <code key={s} className="scope">
                        {s}
                      </code>
                    ))}
                  </td>
                  <td>
                    {formatHelsinki(tok.createdAt, lang)}
                    {tok.createdBy && (
                      <>
                        <br />
                        {t('createdBy', { name: tok.createdBy })}
                      </>
                    )}
                  </td>
                  <td>{tok.lastUsedAt ? formatHelsinki(tok.lastUsedAt, lang) : t('never')}</td>
                  <td>
                    {tok.revokedAt ? (
                      <span className="badge danger">{t('tokenRevokedAt', { time: formatHelsinki(tok.revokedAt, lang) })}</span>
                    ) : (
                      <span className="badge">{t('tokenActive')}</span>
                    )}
                  </td>
                  <td>
                    {!tok.revokedAt && (
                      <Form method="post" reloadDocument>
                        <CsrfField />
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="id" value={tok.id} />
                        <button type="submit" className="danger" aria-label={t('revokeLabel', { name: tok.name })}>
                          {t('revoke')}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}

      <Open311KeyNote lang={lang} endpoint={open311.endpoint} jurisdiction={open311.jurisdiction} />

      <h2>{t('createTitle')}</h2>
      <Form method="post" reloadDocument noValidate>
        <CsrfField />
        <input type="hidden" name="intent" value="create" />
        <div className="field">
          <label htmlFor={fieldId('name')}>{t('tokenName')}</label>
          <p id={`${fieldId('name')}-hint`} className="hint">
            {t('tokenNameHint')}
          </p>
          <input
            id={fieldId('name')}
            name="name"
            type="text"
            maxLength={100}
            required
            autoComplete="off"
            defaultValue={typeof failure?.values.name === 'string' ? failure.values.name : ''}
            aria-invalid={fields?.name ? true : undefined}
            aria-describedby={describedBy('name', fields, true)}
          />
          <FieldError name="name" fields={fields} t={t} />
        </div>
        <fieldset className="field" aria-describedby={[`${fieldId('scopes')}-hint`, fields?.scopes ? `${fieldId('scopes')}-error` : ''].filter(Boolean).join(' ')}>
          <legend>{t('scopesLegend')}</legend>
          <p id={`${fieldId('scopes')}-hint`} className="hint">
            {t('scopesHint')}
          </p>
          {scopes.map(({ scope, description }) => (
            <div className="checkbox" key={scope}>
              <input type="checkbox" id={fieldId(`scope-${scope}`)} name="scopes" value={scope} defaultChecked={chosen.includes(scope)} />
              <label htmlFor={fieldId(`scope-${scope}`)}>
                <code>{scope}</code> – {description}
              </label>
            </div>
          ))}
          <FieldError name="scopes" fields={fields} t={t} />
        </fieldset>
        <p>
          <button type="submit">{t('createToken')}</button>
        </p>
      </Form>
    </>
  );
}

export { AdminErrorBoundary as ErrorBoundary };
