import { data, redirect, useLoaderData } from 'react-router';
import { AppError } from '../../platform/errors.ts';
import { pick } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { TableWrap } from '../components/TableWrap.tsx';
import { Notice, useNlText } from '../newsletters/ui.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs, when } from '../staff/catalog-edit-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** The newsletters of the tenant with their progress, and the tenant's newsletter settings. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services;
  return runLoader(async () => {
    const campaigns = await s.newsletters.list(context.actor, context.tenant.id);
    const settings = await s.newsletters.settings(context.tenant.id);
    const n = new URL(request.url).searchParams.get('notice');
    return {
      lang,
      settings,
      notice: n === 'settings' || n === 'deleted' ? n : null,
      campaigns: campaigns.map((c) => ({
        id: c.id,
        subject: pick(c.subjects, lang),
        state: c.state,
        sent: c.progress.sent,
        total: c.progress.total,
        createdAt: c.createdAt,
      })),
    };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const form = await request.formData();
  try {
    await context.services.newsletters.saveSettings(context.actor, context.tenant.id, { openTracking: form.get('openTracking') === 'on' }, { ip: context.ip });
  } catch (e) {
    if (e instanceof AppError) throw data({ code: e.code }, { status: e.status });
    throw e;
  }
  return redirect(`/${lang}/staff/newsletters?notice=settings`);
}

export default function NewslettersPage() {
  const d = useLoaderData<typeof loader>();
  const t = useNlText();
  const { lang } = d;
  return (
    <>
      <title>{t('campaignsTitle')}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t('campaignsTitle') }]} />
      <h1>{t('campaignsTitle')}</h1>
      <p>{t('campaignsIntro')}</p>
      {d.notice && <Notice>{t(d.notice === 'settings' ? 'settingsSaved' : 'deleted')}</Notice>}
      <p className="nl-actions">
        <a className="button" href={`/${lang}/staff/newsletters/new`}>
          {t('newCampaign')}
        </a>{' '}
        <a href={`/${lang}/staff/newsletters/subscribers`}>{t('subscribersLink')}</a>
      </p>
      {d.campaigns.length === 0 ? (
        <p>{t('noCampaigns')}</p>
      ) : (
        <TableWrap label={t('campaignsTitle')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('colSubject')}</th>
                <th scope="col">{t('colState')}</th>
                <th scope="col">{t('colProgress')}</th>
                <th scope="col">{t('colCreated')}</th>
              </tr>
            </thead>
            <tbody>
              {d.campaigns.map((c) => (
                <tr key={c.id}>
                  <td>
                    <a href={`/${lang}/staff/newsletters/${c.id}`} lang={c.subject.lang !== lang ? c.subject.lang : undefined}>
                      {c.subject.text || '—'}
                    </a>
                  </td>
                  <td>{t(`state_${c.state}`)}</td>
                  <td>{c.state === 'draft' ? '—' : `${c.sent} / ${c.total}`}</td>
                  <td>{when(c.createdAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <section aria-labelledby="nl-settings">
        <h2 id="nl-settings">{t('settingsTitle')}</h2>
        <form method="post">
          <CsrfField />
          <div className="nl-choice">
            <input type="checkbox" id="nl-open-tracking" name="openTracking" defaultChecked={d.settings.openTracking} aria-describedby="nl-open-tracking-hint" />
            <label htmlFor="nl-open-tracking">{t('openTrackingLabel')}</label>
          </div>
          <p id="nl-open-tracking-hint" className="hint">
            {t('openTrackingHint')}
          </p>
          <button type="submit">{t('saveSettings')}</button>
        </form>
      </section>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
