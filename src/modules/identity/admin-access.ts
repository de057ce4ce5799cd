import { AppError } from '../../platform/errors.ts';
import type { Actor } from './actor.ts';
import { requireRole, requireScope } from './access.ts';

/**
 * Administration (users, roles, org units) is open to a staff member with a tenant-wide
 * tenant_admin grant, or to an integration token carrying the given scope. The actor must
 * belong to the tenant the command is about; anything else looks like "not there".
 */
export function requireAdmin(actor: Actor, tenantId: string, scope: string): void {
  if (actor.kind === 'api_token') {
    if (actor.token.tenantId !== tenantId) throw new AppError('not_found', 404);
    requireScope(actor, scope);
    return;
  }
  if (actor.kind === 'resident') throw new AppError('forbidden', 403);
  const user = requireRole(actor, 'tenant_admin');
  if (user.tenantId !== tenantId) throw new AppError('not_found', 404);
}
