import type { Role } from '../../modules/identity/actor.ts';

/**
 * The staff console's navigation: one entry per page, with the roles that see it
 * (tenant admins see everything). The server checks the same roles in each page's
 * loader and action; hiding a link is a convenience, not the authorization.
 */
export interface StaffNavItem {
  /** Path after /{lang}/staff, '' for the console home. */
  path: string;
  label:
    | 'navHome'
    | 'navUsers'
    | 'navOrgUnits'
    | 'navSettings'
    | 'navApiTokens'
    | 'navAudit'
    | 'navJobs'
    | 'navOutbox'
    | 'navSecurity'
    | 'navCatalogServices'
    | 'navCatalogUnits'
    | 'navPages'
    | 'navSynonyms'
    | 'navPromotions'
    | 'navCatalogImport'
    | 'navSearchReport'
    | 'navFeedback'
    | 'navModeration'
    | 'navFeedbackCategories'
    | 'navInbox'
    | 'navInboxTeams'
    | 'navInboxCanned'
    | 'navInboxFaq'
    | 'navInboxReports'
    | 'navInboxSettings'
    | 'navNews'
    | 'navNewsTopics'
    | 'navNewsImages'
    | 'navPressContacts'
    | 'navMediaContacts'
    | 'navNewsChannels'
    | 'navNewsletters'
    | 'navSubscribers'
    | 'navSignage';
  /** null = every signed-in staff member. */
  roles: Role[] | null;
}

export const STAFF_NAV: StaffNavItem[] = [
  { path: '', label: 'navHome', roles: null },
  { path: '/catalog/services', label: 'navCatalogServices', roles: ['communications'] },
  { path: '/catalog/units', label: 'navCatalogUnits', roles: ['communications'] },
  { path: '/pages', label: 'navPages', roles: ['communications'] },
  { path: '/synonyms', label: 'navSynonyms', roles: ['communications'] },
  { path: '/promotions', label: 'navPromotions', roles: ['communications'] },
  { path: '/search-report', label: 'navSearchReport', roles: ['communications', 'customer_service'] },
  { path: '/catalog/import', label: 'navCatalogImport', roles: ['communications'] },
  { path: '/outbox', label: 'navOutbox', roles: ['tenant_admin', 'communications', 'customer_service'] },
  { path: '/users', label: 'navUsers', roles: ['tenant_admin'] },
  { path: '/org-units', label: 'navOrgUnits', roles: ['tenant_admin'] },
  { path: '/settings', label: 'navSettings', roles: ['tenant_admin'] },
  { path: '/api-tokens', label: 'navApiTokens', roles: ['tenant_admin'] },
  { path: '/audit', label: 'navAudit', roles: ['tenant_admin'] },
  { path: '/jobs', label: 'navJobs', roles: ['tenant_admin'] },
  { path: '/security', label: 'navSecurity', roles: null },
  { path: '/feedback/cases', label: 'navFeedback', roles: ['customer_service', 'unit_staff'] },
  { path: '/feedback/moderation', label: 'navModeration', roles: ['moderator'] },
  { path: '/feedback/categories', label: 'navFeedbackCategories', roles: ['tenant_admin'] },
  // Team members without the customer_service role (unit staff in a team) use the inbox too.
  { path: '/inbox', label: 'navInbox', roles: ['customer_service', 'unit_staff'] },
  { path: '/inbox/reports', label: 'navInboxReports', roles: ['customer_service'] },
  { path: '/inbox/canned', label: 'navInboxCanned', roles: ['customer_service'] },
  { path: '/inbox/faq', label: 'navInboxFaq', roles: ['customer_service', 'communications'] },
  { path: '/inbox/teams', label: 'navInboxTeams', roles: ['tenant_admin'] },
  { path: '/inbox/settings', label: 'navInboxSettings', roles: ['tenant_admin'] },
  { path: '/news', label: 'navNews', roles: ['communications', 'publisher'] },
  { path: '/news/topics', label: 'navNewsTopics', roles: ['communications', 'publisher'] },
  { path: '/news/images', label: 'navNewsImages', roles: ['communications', 'publisher'] },
  { path: '/news/press-contacts', label: 'navPressContacts', roles: ['communications', 'publisher'] },
  { path: '/news/media-contacts', label: 'navMediaContacts', roles: ['communications', 'publisher'] },
  { path: '/news/channels', label: 'navNewsChannels', roles: ['communications', 'publisher'] },
  { path: '/newsletters', label: 'navNewsletters', roles: ['communications', 'publisher'] },
  { path: '/newsletters/subscribers', label: 'navSubscribers', roles: ['communications', 'publisher'] },
  { path: '/signage', label: 'navSignage', roles: ['communications', 'unit_staff'] },
];

export function visibleNav(roles: string[]): StaffNavItem[] {
  return STAFF_NAV.filter((i) => i.roles === null || roles.includes('tenant_admin') || i.roles.some((r) => roles.includes(r)));
}
