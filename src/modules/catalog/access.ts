import { requireRole, requireScope } from '../identity/access.ts';
import type { Actor } from '../identity/actor.ts';
import { AppError } from '../../platform/errors.ts';

/** Scope an integration token needs to edit the catalog, content pages and synonyms. */
export const CATALOG_WRITE_SCOPE = 'catalog:write';

/**
 * Catalog editing (services, channels, content pages, synonyms, promoted answers) is the
 * communications role's work (tenant admins implied), or an integration token with
 * catalog:write. The actor must belong to the tenant; anything else looks like "not there".
 * Returns who to record as the author (staff user id and name; tokens have no user).
 */
export function requireCatalogEditor(actor: Actor, tenantId: string): { userId: string | null; name: string } {
  if (actor.kind === 'api_token') {
    if (actor.token.tenantId !== tenantId) throw new AppError('not_found', 404);
    requireScope(actor, CATALOG_WRITE_SCOPE);
    return { userId: null, name: actor.token.name };
  }
  if (actor.kind === 'resident') throw new AppError('forbidden', 403);
  const user = requireRole(actor, 'communications');
  if (user.tenantId !== tenantId) throw new AppError('not_found', 404);
  return { userId: user.id, name: user.name };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

export interface CommandContext {
  ip?: string;
}
