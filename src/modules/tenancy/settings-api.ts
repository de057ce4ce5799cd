import type { ApiRoutes } from '../../server/app.ts';
import { parse } from '../../platform/validation.ts';
import { requireRoleOrScope } from '../identity/access.ts';
import { tenantSettingsInput } from './settings.ts';

/**
 * Tenant settings for admins and integrations: a tenant_admin session (cookie, with the
 * CSRF header on PATCH) or an API token with the admin:settings scope.
 */
export const tenantSettingsApi: ApiRoutes = (app, services) => {
  app.get('/api/v1/tenant/settings', async (req) => {
    const { actor, tenant } = req.aukio;
    requireRoleOrScope(actor, 'tenant_admin', 'admin:settings');
    return services.tenantSettings.get(tenant.id);
  });

  app.patch('/api/v1/tenant/settings', async (req) => {
    const { actor, tenant } = req.aukio;
    requireRoleOrScope(actor, 'tenant_admin', 'admin:settings');
    const input = parse(tenantSettingsInput, req.body ?? {});
    const { changed, settings } = await services.tenantSettings.change(tenant.id, actor, input);
    return { changed, settings };
  });
};
