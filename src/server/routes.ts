import type { ApiRoutes } from './app.ts';
import { staffAuthApi } from '../modules/identity/staff-auth-api.ts';
import { tenancyApi } from '../modules/tenancy/api.ts';
import { orgUnitsApi } from '../modules/tenancy/org-units-api.ts';
import { samlRoutes } from '../modules/identity/saml-routes.ts';
import { staffUsersApi } from '../modules/identity/staff-users-api.ts';
import { tenantSettingsApi } from '../modules/tenancy/settings-api.ts';
import { auditApi } from '../modules/audit/api.ts';
import { oidcSettingsApi } from '../modules/identity/oidc-settings-api.ts';

/** Every module's API routes, mounted under /api/v1 by buildApp. */
export const apiRoutes: ApiRoutes[] = [tenancyApi, staffAuthApi, orgUnitsApi, staffUsersApi, samlRoutes, tenantSettingsApi, auditApi, oidcSettingsApi];
