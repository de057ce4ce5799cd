import type { Db, Queryable } from '../../platform/db.ts';
import { randomToken, sha256 } from '../../platform/crypto.ts';
import type { Actor, Resident, Role, StaffUser } from './actor.ts';

export interface NewSession {
  tenantId: string;
  staffUserId?: string;
  residentId?: string;
  /** How the person proved who they are: password, password+totp, oidc, suomifi, dev_idp, email_code. */
  method: string;
  pendingSecondFactor?: boolean;
}

export type SessionLookup =
  | { status: 'valid'; actor: Actor; pendingSecondFactor: boolean; sessionId: string }
  | { status: 'expired' }
  | { status: 'none' };

/** Masks a Finnish personal identity code for display: 010280-952L → 010280-***L. */
export function maskNationalId(id: string | null): string | null {
  if (!id) return null;
  return id.length === 11 ? `${id.slice(0, 7)}***${id.slice(10)}` : '***';
}

/**
 * Database-backed sessions. The cookie holds a random token; the table holds its hash,
 * so a leaked database does not leak live sessions. Expiry is idle-based and sliding.
 */
export class SessionService {
  constructor(
    private db: Db,
    private ttlMinutes: number,
  ) {}

  async create(q: Queryable, s: NewSession): Promise<string> {
    const token = randomToken();
    await q.query(
      `insert into sessions (id, tenant_id, staff_user_id, resident_id, auth_method, pending_second_factor, expires_at)
       values ($1,$2,$3,$4,$5,$6, now() + make_interval(mins => $7))`,
      [sha256(token), s.tenantId, s.staffUserId ?? null, s.residentId ?? null, s.method, s.pendingSecondFactor ?? false, this.ttlMinutes],
    );
    return token;
  }

  async lookup(tenantId: string, token: string | undefined): Promise<SessionLookup> {
    if (!token || token.length > 100) return { status: 'none' };
    const id = sha256(token);
    const r = await this.db.query<{
      staff_user_id: string | null;
      resident_id: string | null;
      pending_second_factor: boolean;
      expired: boolean;
      touch: boolean;
    }>(
      `select staff_user_id, resident_id, pending_second_factor, expires_at < now() as expired,
         last_seen_at < now() - interval '1 minute' as touch
       from sessions where id = $1 and tenant_id = $2`,
      [id, tenantId],
    );
    const row = r.rows[0];
    if (!row) return { status: 'none' };
    if (row.expired) {
      await this.db.query('delete from sessions where id = $1', [id]);
      return { status: 'expired' };
    }
    if (row.touch) {
      // Sliding expiry, written at most once a minute per session to keep reads cheap.
      await this.db.query(
        `update sessions set last_seen_at = now(), expires_at = now() + make_interval(mins => $2) where id = $1`,
        [id, this.ttlMinutes],
      );
    }
    if (row.staff_user_id) {
      const user = await this.loadStaffUser(tenantId, row.staff_user_id);
      if (!user) return { status: 'none' };
      return { status: 'valid', actor: { kind: 'staff', user, sessionId: id }, pendingSecondFactor: row.pending_second_factor, sessionId: id };
    }
    const resident = await this.loadResident(tenantId, row.resident_id!);
    if (!resident) return { status: 'none' };
    return { status: 'valid', actor: { kind: 'resident', resident, sessionId: id }, pendingSecondFactor: false, sessionId: id };
  }

  async destroy(tenantId: string, sessionId: string): Promise<void> {
    await this.db.query('delete from sessions where id = $1 and tenant_id = $2', [sessionId, tenantId]);
  }

  async destroyAllForStaff(q: Queryable, tenantId: string, userId: string): Promise<void> {
    await q.query('delete from sessions where tenant_id = $1 and staff_user_id = $2', [tenantId, userId]);
  }

  async purgeExpired(): Promise<number> {
    return (await this.db.query('delete from sessions where expires_at < now()')).rowCount;
  }

  async loadStaffUser(tenantId: string, userId: string, q: Queryable = this.db): Promise<StaffUser | null> {
    const r = await q.query<{
      id: string;
      email: string;
      name: string;
      totp_enabled: boolean;
      grants: { role: Role; orgUnitId: string | null }[] | null;
    }>(
      `select u.id, u.email, u.name, u.totp_enabled,
         (select json_agg(json_build_object('role', g.role, 'orgUnitId', g.org_unit_id)) from role_grants g
          where g.tenant_id = u.tenant_id and g.user_id = u.id) as grants
       from staff_users u where u.tenant_id = $1 and u.id = $2 and u.active`,
      [tenantId, userId],
    );
    const u = r.rows[0];
    if (!u) return null;
    return { id: u.id, tenantId, email: u.email, name: u.name, totpEnabled: u.totp_enabled, grants: u.grants ?? [] };
  }

  async loadResident(tenantId: string, residentId: string, q: Queryable = this.db): Promise<Resident | null> {
    const r = await q.query<{
      id: string;
      assurance: 'strong' | 'weak';
      given_name: string | null;
      family_name: string | null;
      email: string | null;
      national_id: string | null;
    }>(
      `select id, assurance, given_name, family_name, email, national_id from residents where tenant_id = $1 and id = $2`,
      [tenantId, residentId],
    );
    const x = r.rows[0];
    if (!x) return null;
    return {
      id: x.id,
      tenantId,
      assurance: x.assurance,
      givenName: x.given_name,
      familyName: x.family_name,
      email: x.email,
      nationalIdMasked: maskNationalId(x.national_id),
    };
  }
}
