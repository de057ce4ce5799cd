import { redirect, useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { runLoader, safeNext, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs, Notice } from '../staff/catalog-edit-ui.tsx';
import { BulletinCard, newsAction, useNewsText, type BulletinView } from '../staff/news-ui.tsx';
import { pageLang, requireStaffPage } from '../server-helpers.ts';

/**
 * One intranet bulletin in full, for the staff it targets (others get 404), with the
 * "I have read this" button of a must-read. The console home's confirm buttons post here too.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  return runLoader(async () => {
    const { item, confirmedAt } = await context.services.intranet.bulletin(context.actor, context.tenant.id, params.id ?? '');
    const b: BulletinView = {
      id: item.id,
      title: item.title,
      lead: item.lead,
      body: item.body,
      kind: item.kind,
      mustRead: item.mustRead,
      publishedAt: item.publishedAt,
      confirmedAt,
      images: item.images.map((m) => ({ url: m.url, alt: m.alt, caption: m.caption, credit: m.credit })),
      attachments: item.attachments.map((m) => ({ url: m.url, filename: m.filename, alt: m.alt })),
    };
    return { lang, b, confirmed: new URL(request.url).searchParams.get('notice') === 'confirmed' };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const form = await request.formData();
  const id = params.id ?? '';
  const back = safeNext(typeof form.get('back') === 'string' ? String(form.get('back')) : '', `/${lang}/staff/bulletins/${id}`);
  return newsAction(lang, 'confirm_read', {}, async () => {
    await context.services.intranet.confirmRead(context.actor, context.tenant.id, id, { ip: context.ip });
    const sep = back.includes('?') ? '&' : '?';
    return redirect(`${back}${sep}notice=confirmed#bulletin-${id}`);
  });
}

export default function BulletinPage() {
  const { lang, b, confirmed } = useLoaderData<typeof loader>();
  const t = useNewsText();
  const title = pick(b.title, lang);
  return (
    <>
      <title>{title.text}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: <span lang={title.lang !== lang ? title.lang : undefined}>{title.text}</span> }]} />
      <h1 id={`bulletin-${b.id}`} lang={title.lang !== lang ? title.lang : undefined}>
        {title.text}
      </h1>
      {confirmed && <Notice>{t('readConfirmed')}</Notice>}
      <BulletinCard b={b} lang={lang} t={t} full back={`/${lang}/staff/bulletins/${b.id}`} />
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
