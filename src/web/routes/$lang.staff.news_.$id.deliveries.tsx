import { redirect, useLoaderData } from 'react-router';
import { AppError } from '../../platform/errors.ts';
import { pick } from '../../platform/i18n.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Notice, RecordBreadcrumbs } from '../staff/catalog-edit-ui.tsx';
import { DeliveryTable, useDistText } from '../staff/distribution-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** One publication's deliveries per channel, with a Retry button (a plain form) for failed ones. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  return runLoader(async () => {
    const { item, deliveries } = await context.services.distribution.forItem(context.actor, context.tenant.id, params.id ?? '');
    const notice = new URL(request.url).searchParams.get('notice') === 'retried' ? ('notice_retried' as const) : null;
    return { lang, itemId: item.id, title: pick(item.title, lang), deliveries, notice };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const form = await request.formData();
  // Any refusal (another tenant's item 404, no newsroom role 403, not failed 409) is an error page.
  return runLoader(async () => {
    const s = context.services.distribution;
    // The item must be this tenant's (404 otherwise) and the delivery must belong to it.
    const { deliveries } = await s.forItem(context.actor, context.tenant.id, params.id ?? '');
    const id = String(form.get('deliveryId') ?? '');
    if (form.get('intent') !== 'retry' || !deliveries.some((d) => d.id === id)) throw new AppError('not_found', 404);
    await s.retry(context.actor, context.tenant.id, id);
    return redirect(`/${lang}/staff/news/${params.id}/deliveries?notice=retried`);
  });
}

export default function Deliveries() {
  const d = useLoaderData<typeof loader>();
  const t = useDistText();
  const { lang } = d;
  return (
    <>
      <title>{`${t('dlTitle')}: ${d.title.text}`}</title>
      <RecordBreadcrumbs
        t={t}
        lang={lang}
        list={{ href: `/${lang}/staff/news`, label: t('newsroom') }}
        record={{ href: `/${lang}/staff/news/${d.itemId}`, title: d.title }}
        here={t('dlTitle')}
      />
      <h1>
        {t('dlTitle')}: <span lang={d.title.lang !== lang ? d.title.lang : undefined}>{d.title.text}</span>
      </h1>
      <p>{t('dlIntro')}</p>
      {d.notice && <Notice>{t(d.notice)}</Notice>}
      {d.deliveries.length === 0 ? <p>{t('dlEmpty')}</p> : <DeliveryTable deliveries={d.deliveries} t={t} lang={lang} caption={t('dlTitle')} />}
      <p>
        <a href={`/${lang}/staff/news/${d.itemId}`}>{t('dlBackToItem')}</a>
      </p>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
