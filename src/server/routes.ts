import type { ApiRoutes } from './app.ts';
import { auditApi } from '../modules/audit/api.ts';
import { oidcSettingsApi } from '../modules/identity/oidc-settings-api.ts';
import { preferencesApi } from '../modules/identity/preferences.ts';
import { samlRoutes } from '../modules/identity/saml-routes.ts';
import { staffAuthApi } from '../modules/identity/staff-auth-api.ts';
import { staffUsersApi } from '../modules/identity/staff-users-api.ts';
import { tenancyApi } from '../modules/tenancy/api.ts';
import { orgUnitsApi } from '../modules/tenancy/org-units-api.ts';
import { tenantSettingsApi } from '../modules/tenancy/settings-api.ts';
import { realtimeApi } from './realtime.ts';
import { routingApi } from '../modules/routing/api.ts';
import { catalogImportApi } from '../modules/catalog/import-api.ts';
import { catalogEditApi } from '../modules/catalog/edit-api.ts';
import { sitemapRoutes } from '../modules/catalog/sitemap.ts';
import { open311Api } from '../modules/feedback/open311-api.ts';
import { feedbackStaffApi } from '../modules/feedback/staff-api.ts';
import { feedbackResidentApi } from '../modules/feedback/resident-api.ts';
import { feedbackRssRoutes } from '../modules/feedback/feed-rss.ts';
import { chatApi } from '../modules/inbox/chat-api.ts';
import { agentStreamApi } from '../modules/inbox/agent-stream.ts';
import { faqApi } from '../modules/inbox/faq-api.ts';
import { inboxAdminApi } from '../modules/inbox/admin-api.ts';
import { agentInboxApi } from '../modules/inbox/agent-api.ts';
import { chatResidentApi } from '../modules/inbox/chat-resident.ts';
import { newsroomApi } from '../modules/newsroom/api.ts';
import { distributionApi } from '../modules/distribution/api.ts';
import { signageApi } from '../modules/signage/api.ts';
import { newsFeedRoutes } from '../modules/newsroom/feeds.ts';
import { newslettersApi } from '../modules/newsletters/api.ts';

/** Every module's API routes (and protocol endpoints such as SAML), registered by buildApp. */
export const apiRoutes: ApiRoutes[] = [
  tenancyApi,
  tenantSettingsApi,
  orgUnitsApi,
  staffAuthApi,
  staffUsersApi,
  oidcSettingsApi,
  preferencesApi,
  samlRoutes,
  auditApi,
  realtimeApi,
  routingApi,
  catalogImportApi,
  catalogEditApi,
  sitemapRoutes,
  open311Api,
  feedbackStaffApi,
  feedbackResidentApi,
  feedbackRssRoutes,
  chatApi,
  agentStreamApi,
  faqApi,
  inboxAdminApi,
  agentInboxApi,
  chatResidentApi,
  newsroomApi,
  distributionApi,
  signageApi,
  newsFeedRoutes,
  newslettersApi,
];
