import type { ApiRoutes } from '../../server/app.ts';
import { parse } from '../../platform/validation.ts';
import { requireAdmin } from './admin-access.ts';
import { OIDC_CALLBACK_PATH } from './oidc.ts';
import { oidcSettingsInput } from './oidc-settings.ts';

/**
 * The tenant's OpenID Connect configuration for admins and integrations: a tenant_admin
 * session (cookie, CSRF header on PUT) or an API token with the admin:settings scope.
 * The client secret is write-only; `redirectUri` is what to register at the provider.
 */
export const oidcSettingsApi: ApiRoutes = (app, services) => {
  app.get('/api/v1/tenant/oidc', async (req) => {
    const { actor, tenant, origin } = req.aukio;
    requireAdmin(actor, tenant.id, 'admin:settings');
    return { ...(await services.staffAuth.oidcSettings.get(tenant.id)), redirectUri: `${origin}${OIDC_CALLBACK_PATH}` };
  });

  app.put('/api/v1/tenant/oidc', async (req) => {
    const { actor, tenant, origin } = req.aukio;
    requireAdmin(actor, tenant.id, 'admin:settings');
    const input = parse(oidcSettingsInput, req.body ?? {});
    const { changed, settings } = await services.staffAuth.oidcSettings.change(tenant.id, actor, input);
    return { changed, settings: { ...settings, redirectUri: `${origin}${OIDC_CALLBACK_PATH}` } };
  });
};
