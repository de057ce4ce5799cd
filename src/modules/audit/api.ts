import type { ApiRoutes } from '../../server/app.ts';
import { parse } from '../../platform/validation.ts';
import { requireRoleOrScope } from '../identity/access.ts';
import { auditQueryInput, viewAuditLog } from './browse.ts';

/**
 * GET /api/v1/audit?q=&action=&from=&to=&before=&limit= — newest first, keyset-paginated
 * with nextBefore. For a tenant_admin session or a token with audit:read; the read is audited.
 */
export const auditApi: ApiRoutes = (app, services) => {
  app.get('/api/v1/audit', async (req) => {
    const { actor, tenant, ip } = req.aukio;
    requireRoleOrScope(actor, 'tenant_admin', 'audit:read');
    const input = parse(auditQueryInput, req.query ?? {});
    return viewAuditLog(services.audit, services.db, tenant.id, actor, input, ip);
  });
};
