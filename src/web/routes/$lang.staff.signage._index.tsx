import { Form, useActionData, useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { TableWrap } from '../components/TableWrap.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs } from '../staff/catalog-edit-ui.tsx';
import { Notice } from '../staff/inbox-ui.tsx';
import { formValues } from '../staff/admin-page.ts';
import { Field, fieldErrorText, FormProblem, formatMoment, OnceUrl, ScreenOptions, signageAction, unitOptions, UnitSelect, useSignageText, type SignageResult } from '../staff/signage-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** Info screens the member of staff manages (communications: all; unit staff: their units'), and registering one. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services;
  return runLoader(async () => {
    const access = await s.signage.access(context.actor, context.tenant.id, lang);
    const screens = await s.signage.listScreens(context.actor, context.tenant.id);
    const unitName = new Map(access.units.map((u) => [u.id, pick(u.names, lang)]));
    const notice = new URL(request.url).searchParams.get('notice');
    return {
      lang,
      languages: context.tenant.languages,
      units: unitOptions(access, lang),
      screens: screens.map((x) => ({ ...x, unit: unitName.get(x.orgUnitId) ?? null })),
      notice: notice === 'removed' ? ('removed' as const) : null,
    };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const v = formValues(await request.formData());
  const one = (k: string) => (Array.isArray(v[k]) ? v[k][0] : (v[k] as string | undefined)) ?? '';
  return signageAction(lang, 'create', v, async () => {
    const { screen, token } = await context.services.signage.createScreen(
      context.actor,
      context.tenant.id,
      {
        name: one('name'),
        orgUnitId: one('orgUnitId'),
        locationNote: one('locationNote'),
        orientation: one('orientation') || undefined,
        lang: one('lang') || undefined,
        slideSeconds: one('slideSeconds') || undefined,
      },
      context.tenant.languages,
      context.ip,
    );
    // The URL is in this answer only: the page shows it once and never again.
    return { ok: true, intent: 'create', notice: 'created', url: `${context.origin}/signage/${token}`, screenId: screen.id } as SignageResult;
  });
}

export default function SignageScreens() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData() as SignageResult | undefined;
  const t = useSignageText();
  const { lang } = d;
  const failure = result && !result.ok ? result : null;
  const value = (k: string, fallback = '') => {
    const x = failure?.values[k];
    return (Array.isArray(x) ? x[0] : x) ?? fallback;
  };
  const err = (k: string) => fieldErrorText(t, failure?.fields[k]);
  return (
    <>
      <title>{t('title')}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t('title') }]} />
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      <p>
        <a href={`/${lang}/staff/signage/notices`}>{t('noticesLink')}</a>
      </p>
      {d.notice && (
        <Notice>{t('removed')}</Notice>
      )}
      {result?.ok && result.url && (
        <>
          <Notice>{t('created')}</Notice>
          <OnceUrl url={result.url} t={t} />
        </>
      )}
      <h2>{t('screens')}</h2>
      {d.screens.length === 0 ? (
        <p>{t('noScreens')}</p>
      ) : (
        <TableWrap label={t('screens')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('colName')}</th>
                <th scope="col">{t('colUnit')}</th>
                <th scope="col">{t('colLocation')}</th>
                <th scope="col">{t('colLang')}</th>
                <th scope="col">{t('colLastSeen')}</th>
              </tr>
            </thead>
            <tbody>
              {d.screens.map((x) => (
                <tr key={x.id}>
                  <td>
                    <a href={`/${lang}/staff/signage/${x.id}`}>{x.name}</a>
                  </td>
                  <td lang={x.unit && x.unit.lang !== lang ? x.unit.lang : undefined}>{x.unit?.text ?? ''}</td>
                  <td>{x.locationNote}</td>
                  <td>{x.lang}</td>
                  <td>{x.lastSeenAt ? formatMoment(x.lastSeenAt, lang) : t('never')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h2 id="register">{t('register')}</h2>
      <FormProblem failure={failure} t={t} />
      <Form method="post" aria-labelledby="register" className="signage-form">
        <CsrfField />
        <Field id="screen-name" label={t('name')} error={err('name')}>
          {(a) => <input {...a} type="text" name="name" required maxLength={120} defaultValue={value('name')} />}
        </Field>
        <UnitSelect t={t} units={d.units} lang={lang} empty defaultValue={value('orgUnitId', d.units.length === 1 ? d.units[0].id : '')} error={err('orgUnitId')} />
        <Field id="screen-location" label={t('locationNote')} error={err('locationNote')}>
          {(a) => <input {...a} type="text" name="locationNote" maxLength={300} defaultValue={value('locationNote')} />}
        </Field>
        <ScreenOptions t={t} languages={d.languages} value={value} err={err} />
        <button type="submit">{t('register')}</button>
      </Form>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
