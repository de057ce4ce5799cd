import { useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { translator } from '../i18n/define.ts';
import { ROLE_LABEL, staff } from '../i18n/staff.ts';
import { pageLang, requireStaffPage, type LoaderArgs } from '../server-helpers.ts';
import { UnitName } from '../staff/admin-ui.tsx';
import { visibleNav, type StaffNavItem } from '../staff/nav.ts';
import { newsStaff } from '../i18n/news-staff.ts';
import { Notice } from '../staff/catalog-edit-ui.tsx';
import { BulletinCard, type BulletinView } from '../staff/news-ui.tsx';

/** Console home: who you are and what you may do here. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const user = requireStaffPage(context, request, lang);
  const unitName = await context.services.orgUnits.names(
    context.tenant.id,
    user.grants.flatMap((g) => (g.orgUnitId ? [g.orgUnitId] : [])),
  );
  const bulletins = await context.services.intranet.bulletinsFor(context.actor);
  return {
    lang,
    confirmed: new URL(request.url).searchParams.get('notice') === 'confirmed',
    bulletins: bulletins.map(
      ({ item, confirmedAt }): BulletinView => ({
        id: item.id,
        title: item.title,
        lead: item.lead,
        body: {},
        kind: item.kind,
        mustRead: item.mustRead,
        publishedAt: item.publishedAt,
        confirmedAt,
      }),
    ),
    name: user.name,
    grants: user.grants.map((g) => ({ role: g.role, unit: g.orgUnitId ? pick(unitName.get(g.orgUnitId), lang) : null })),
  };
}

export default function StaffHome() {
  const { lang, name, grants, bulletins, confirmed } = useLoaderData<typeof loader>();
  const t = translator(staff, lang);
  const nt = translator(newsStaff, lang);
  return (
    <>
      <title>{t('consoleTitle')}</title>
      <h1>{t('welcome', { name })}</h1>
      {/* The intranet: bulletins for this person, unconfirmed must-reads first. */}
      <section aria-labelledby="bulletins" className="news-bulletins">
        <h2 id="bulletins">{nt('bulletinsTitle')}</h2>
        {confirmed && <Notice>{nt('readConfirmed')}</Notice>}
        {bulletins.length === 0 ? (
          <p>{nt('noBulletins')}</p>
        ) : (
          <ul className="news-bulletin-list">
            {bulletins.map((b) => (
              <li key={b.id}>
                <BulletinCard b={b} lang={lang} t={nt} back={`/${lang}/staff`} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <h2>{t('yourRoles')}</h2>
      <ul>
        {grants.map((g, i) => (
          <li key={i}>
            {t(ROLE_LABEL[g.role])} – {g.unit ? <UnitName name={g.unit} lang={lang} /> : t('wholeOrganisation')}
          </li>
        ))}
      </ul>
      {/* The pages this person may use, each with a line on what it is for: the menu's
          terse labels ("Taustatyöt", "Lokitiedot") alone do not tell a new agent where to go. */}
      <h2>{t('consolePages')}</h2>
      <ul className="cards console-pages">
        {visibleNav(grants.map((g) => g.role))
          .filter((item) => item.path !== '')
          .map((item) => (
            <li key={item.path}>
              <a href={`/${lang}/staff${item.path}`}>{t(item.label)}</a>
              <p>{t(DESCRIPTION[item.label])}</p>
            </li>
          ))}
      </ul>
    </>
  );
}

const DESCRIPTION = {
  navHome: 'consolePages',
  navUsers: 'descUsers',
  navOrgUnits: 'descOrgUnits',
  navSettings: 'descSettings',
  navApiTokens: 'descApiTokens',
  navAudit: 'descAudit',
  navJobs: 'descJobs',
  navOutbox: 'descOutbox',
  navSecurity: 'descSecurity',
  navSearchReport: 'descSearchReport',
  navCatalogImport: 'descCatalogImport',
  navCatalogServices: 'descCatalogServices',
  navCatalogUnits: 'descCatalogUnits',
  navPages: 'descPages',
  navSynonyms: 'descSynonyms',
  navPromotions: 'descPromotions',
  navFeedback: 'descFeedback',
  navModeration: 'descModeration',
  navFeedbackCategories: 'descFeedbackCategories',
  navInbox: 'descInbox',
  navInboxTeams: 'descInboxTeams',
  navInboxCanned: 'descInboxCanned',
  navInboxFaq: 'descInboxFaq',
  navInboxReports: 'descInboxReports',
  navInboxSettings: 'descInboxSettings',
  navNews: 'descNews',
  navNewsTopics: 'descNewsTopics',
  navNewsImages: 'descNewsImages',
  navPressContacts: 'descPressContacts',
  navMediaContacts: 'descMediaContacts',
  navNewsChannels: 'descNewsChannels',
  navNewsletters: 'descNewsletters',
  navSubscribers: 'descSubscribers',
  navSignage: 'descSignage',
} as const satisfies Record<StaffNavItem['label'], string>;
