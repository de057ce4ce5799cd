import type { ApiRoutes } from './app.ts';
import { tenancyApi } from '../modules/tenancy/api.ts';
import { tenantSettingsApi } from '../modules/tenancy/settings-api.ts';
import { auditApi } from '../modules/audit/api.ts';

/** Every module's API routes, mounted under /api/v1 by buildApp. */
export const apiRoutes: ApiRoutes[] = [tenancyApi, tenantSettingsApi, auditApi];
