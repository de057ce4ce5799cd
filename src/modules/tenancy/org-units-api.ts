import type { ApiRoutes } from '../../server/app.ts';
import { isLang } from '../../platform/i18n.ts';

/**
 * /api/v1/org-units: the tenant's org-unit tree. Tenant admins (staff session) or tokens
 * with the admin:org-units scope. Validation, authorization and audit live in OrgUnitService.
 */
export const orgUnitsApi: ApiRoutes = (app, services) => {
  const units = services.orgUnits;

  app.get('/api/v1/org-units', async (req) => {
    const { actor, tenant, lang } = req.aukio;
    const q = (req.query as Record<string, unknown>).lang;
    return { items: await units.list(actor, tenant.id, isLang(q) ? q : lang) };
  });

  app.post('/api/v1/org-units', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    const unit = await units.create(actor, tenant.id, req.body, { ip });
    return reply.code(201).send(unit);
  });

  app.get<{ Params: { id: string } }>('/api/v1/org-units/:id', async (req) => {
    const { actor, tenant } = req.aukio;
    const unit = await units.get(actor, tenant.id, req.params.id);
    return { ...unit, ancestors: (await units.ancestors(tenant.id, unit.id)).slice(1) };
  });

  app.patch<{ Params: { id: string } }>('/api/v1/org-units/:id', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    return units.update(actor, tenant.id, req.params.id, req.body, { ip });
  });

  app.delete<{ Params: { id: string } }>('/api/v1/org-units/:id', async (req, reply) => {
    const { actor, tenant, ip } = req.aukio;
    await units.delete(actor, tenant.id, req.params.id, { ip });
    return reply.code(204).send();
  });
};
