import { useLoaderData } from 'react-router';
import { LANGUAGES, pick } from '../../platform/i18n.ts';
import { TableWrap } from '../components/TableWrap.tsx';
import { requireConsoleRole } from '../staff/admin-page.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs, Notice } from '../staff/catalog-edit-ui.tsx';
import { FAQ_ROLES, TryBot, tryFromUrl, useBotText } from '../staff/inbox-faq-ui.tsx';
import { runLoader, type LoaderArgs } from '../server-helpers.ts';

/**
 * The bot's FAQ: every entry of the tenant (first question and answer in the page language,
 * the linked service, active), a link to add one, and "try the bot". customer_service and
 * communications (tenant admins implied).
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, FAQ_ROLES);
  return runLoader(async () => {
    const [entries, tried] = await Promise.all([context.services.faq.list(context.actor, context.tenant.id), tryFromUrl(context, request, lang)]);
    const notice = new URL(request.url).searchParams.get('notice');
    return {
      lang,
      notice: notice === 'deleted' ? ('deleted' as const) : null,
      tried,
      items: entries.map((e) => {
        const question = pick(Object.fromEntries(LANGUAGES.map((l) => [l, e.questions[l]?.[0] ?? ''])), lang, context.tenant.languages);
        return {
          id: e.id,
          question,
          answer: pick(e.answers, lang, [question.lang]),
          service: e.serviceNames ? pick(e.serviceNames, lang) : null,
          active: e.active,
        };
      }),
    };
  });
}

const excerpt = (s: string, n = 140) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export default function FaqList() {
  const { lang, items, notice, tried } = useLoaderData<typeof loader>();
  const t = useBotText();
  return (
    <>
      <title>{t('faqTitle')}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t('faqTitle') }]} />
      <h1>{t('faqTitle')}</h1>
      <p>{t('faqIntro')}</p>
      {notice && <Notice>{t('deleted')}</Notice>}
      <p>
        <a className="button" href={`/${lang}/staff/inbox/faq/new`}>
          {t('newEntry')}
        </a>
      </p>
      {items.length === 0 ? (
        <p>{t('noEntries')}</p>
      ) : (
        <TableWrap label={t('faqTitle')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('colQuestion')}</th>
                <th scope="col">{t('colAnswer')}</th>
                <th scope="col">{t('colService')}</th>
                <th scope="col">{t('colActive')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <a href={`/${lang}/staff/inbox/faq/${e.id}`} lang={e.question.lang !== lang ? e.question.lang : undefined}>
                      {e.question.text || t('noQuestionInLang')}
                    </a>
                  </td>
                  <td lang={e.answer.lang !== lang ? e.answer.lang : undefined}>{excerpt(e.answer.text)}</td>
                  <td lang={e.service && e.service.lang !== lang ? e.service.lang : undefined}>{e.service?.text ?? '–'}</td>
                  <td>{e.active ? t('yes') : t('no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <TryBot t={t} lang={lang} action={`/${lang}/staff/inbox/faq`} result={tried} />
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
