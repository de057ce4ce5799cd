import { AppError } from '../../platform/errors.ts';
import type { Actor, Role, StaffUser } from './actor.ts';

/**
 * Authorization checks used by every command. Tenant admins may do everything in their
 * tenant; other roles are checked by name, optionally within an org unit subtree
 * (unitAncestors lists the unit itself and all its ancestors).
 */
export function hasRole(user: StaffUser, roles: Role | Role[], unitAncestors?: string[]): boolean {
  const wanted = Array.isArray(roles) ? roles : [roles];
  return user.grants.some(
    (g) =>
      (g.role === 'tenant_admin' || wanted.includes(g.role)) &&
      (g.orgUnitId === null || (unitAncestors !== undefined && unitAncestors.includes(g.orgUnitId))),
  );
}

export function requireStaff(actor: Actor): StaffUser {
  if (actor.kind !== 'staff') throw new AppError('unauthenticated', 401);
  return actor.user;
}

export function requireRole(actor: Actor, roles: Role | Role[], unitAncestors?: string[]): StaffUser {
  const user = requireStaff(actor);
  if (!hasRole(user, roles, unitAncestors)) throw new AppError('forbidden', 403);
  return user;
}

export function requireResident(actor: Actor) {
  if (actor.kind !== 'resident') throw new AppError('unauthenticated', 401);
  return actor.resident;
}

export function requireScope(actor: Actor, scope: string) {
  if (actor.kind !== 'api_token') throw new AppError('unauthenticated', 401);
  if (!actor.token.scopes.includes(scope)) throw new AppError('forbidden', 403, { requiredScope: scope });
  return actor.token;
}

/**
 * Admin endpoints that integrations may also call: a staff member with one of the roles
 * (through a signed-in session) or an API token holding the scope.
 */
export function requireRoleOrScope(actor: Actor, roles: Role | Role[], scope: string): void {
  if (actor.kind === 'api_token') requireScope(actor, scope);
  else requireRole(actor, roles);
}
