/** Who is acting in a request. Every command takes one; authorization reads it. */
export const ROLES = ['tenant_admin', 'communications', 'customer_service', 'unit_staff', 'moderator', 'publisher'] as const;
export type Role = (typeof ROLES)[number];

export interface RoleGrant {
  role: Role;
  /** null = the whole tenant; otherwise the grant covers this org unit and its descendants. */
  orgUnitId: string | null;
}

export interface StaffUser {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  totpEnabled: boolean;
  grants: RoleGrant[];
}

export interface Resident {
  id: string;
  tenantId: string;
  assurance: 'strong' | 'weak';
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  /** Masked for display, e.g. 010280-***X; the full code is read only through audited calls. */
  nationalIdMasked: string | null;
}

export interface ApiToken {
  id: string;
  tenantId: string;
  name: string;
  scopes: string[];
}

export type Actor =
  | { kind: 'staff'; user: StaffUser; sessionId: string }
  | { kind: 'resident'; resident: Resident; sessionId: string }
  | { kind: 'api_token'; token: ApiToken }
  | { kind: 'system'; label: string }
  | { kind: 'anonymous' };

export const ANONYMOUS: Actor = { kind: 'anonymous' };
