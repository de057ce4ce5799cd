import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { CsrfField } from '../components/Csrf.tsx';
import { AdminErrorBoundary, FormAlert, useAdminText } from '../staff/AdminParts.tsx';
import { formatHelsinki, formCommand, requireConsoleRole, type FormFailure } from '../staff/admin-page.ts';
import type { ActionArgs, LoaderArgs } from '../server-helpers.ts';
import { TableWrap } from '../components/TableWrap.tsx';

/** This tenant's failing background jobs (tenant admins), with a retry for the failed ones. */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  const jobs = await context.services.jobAdmin.failing(context.tenant.id);
  return { lang, jobs, retried: new URL(request.url).searchParams.get('retried') === '1' };
}

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  const form = await request.formData();
  return formCommand(lang, async () => {
    await context.services.jobAdmin.retry(context.tenant.id, context.actor, String(form.get('id') ?? ''));
    return redirect(`/${lang}/staff/jobs?retried=1`);
  });
}

export default function Jobs() {
  const { lang, jobs, retried } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const t = useAdminText();
  return (
    <>
      <title>{t('jobsTitle')}</title>
      <h1>{t('jobsTitle')}</h1>
      <p>{t('jobsIntro')}</p>
      {retried && !failure && (
        <div className="notice" role="status">
          <p>{t('jobRetried')}</p>
        </div>
      )}
      <FormAlert message={failure?.message} t={t} />
      {jobs.length === 0 ? (
        <p role="status">{t('noJobs')}</p>
      ) : (
        <TableWrap label={t('jobsTitle')}>
          <table>
            <caption className="visually-hidden">{t('jobsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colJob')}</th>
                <th scope="col">{t('colState')}</th>
                <th scope="col">{t('colRetries')}</th>
                <th scope="col">{t('colError')}</th>
                <th scope="col">{t('colCreated')}</th>
                <th scope="col">{t('colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id}>
                  <td>
                    <code>{j.name}</code>
                  </td>
                  <td>
                    <span className={j.state === 'failed' ? 'badge danger' : 'badge'}>{j.state === 'failed' ? t('stateFailed') : t('stateRetry')}</span>
                    {j.nextAttemptAt && (
                      <>
                        <br />
                        {t('nextAttempt', { time: formatHelsinki(j.nextAttemptAt, lang) })}
                      </>
                    )}
                  </td>
                  <td>{j.retryCount}</td>
                  <td className="job-error">{j.error}</td>
                  <td>{formatHelsinki(j.createdOn, lang)}</td>
                  <td>
                    {j.state === 'failed' && (
                      <Form method="post" reloadDocument>
                        <CsrfField />
                        <input type="hidden" name="id" value={j.id} />
                        <button type="submit" aria-label={t('retryLabel', { name: j.name })}>
                          {t('retry')}
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
    </>
  );
}

export { AdminErrorBoundary as ErrorBoundary };
