import type { ApiRoutes } from '../../server/app.ts';

/**
 * /api/v1/staff-users: staff accounts and role grants. Tenant admins (staff session) or
 * tokens with the admin:users scope. Validation, authorization and audit live in StaffUserService.
 */
export const staffUsersApi: ApiRoutes = (app, services) => {
  const users = services.staffUsers;
  type IdParams = { Params: { id: string } };

  app.get('/api/v1/staff-users', async (req) => {
    const { actor, tenant } = req.aukio;
    return { items: await users.list(actor, tenant.id) };
  });

  app.post('/api/v1/staff-users', async (req, reply) => {
    const { actor, tenant, ip, origin } = req.aukio;
    return reply.code(201).send(await users.create(actor, tenant.id, req.body, { ip, origin }));
  });

  app.get<IdParams>('/api/v1/staff-users/:id', async (req) => {
    const { actor, tenant } = req.aukio;
    return users.get(actor, tenant.id, req.params.id);
  });

  app.patch<IdParams>('/api/v1/staff-users/:id', async (req) => {
    const { actor, tenant, ip, origin } = req.aukio;
    return users.update(actor, tenant.id, req.params.id, req.body, { ip, origin });
  });

  app.post<IdParams>('/api/v1/staff-users/:id/invite', async (req, reply) => {
    const { actor, tenant, ip, origin } = req.aukio;
    await users.resendInvite(actor, tenant.id, req.params.id, { ip, origin });
    return reply.code(204).send();
  });

  app.post<IdParams>('/api/v1/staff-users/:id/grants', async (req, reply) => {
    const { actor, tenant, ip, origin } = req.aukio;
    return reply.code(201).send(await users.grant(actor, tenant.id, req.params.id, req.body, { ip, origin }));
  });

  app.delete<{ Params: { id: string; grantId: string } }>('/api/v1/staff-users/:id/grants/:grantId', async (req, reply) => {
    const { actor, tenant, ip, origin } = req.aukio;
    await users.revoke(actor, tenant.id, req.params.id, req.params.grantId, { ip, origin });
    return reply.code(204).send();
  });
};
