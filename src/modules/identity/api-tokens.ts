import type { Db, Queryable } from '../../platform/db.ts';
import { randomToken, sha256 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import type { ApiToken } from './actor.ts';

/**
 * Scopes an integration token can hold. Modules add theirs here so the admin form
 * can offer them; a token can only do what its scopes say.
 */
export const API_SCOPES = ['tenant:read', 'staff:read', 'audit:read', 'catalog:import', 'events:read', 'admin:users', 'admin:org-units'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiTokenListItem {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Integration tokens: shown once at creation, stored as a SHA-256 hash, scoped, revocable. */
export class ApiTokenService {
  constructor(private db: Db) {}

  async create(q: Queryable, tenantId: string, name: string, scopes: string[], createdBy: string | null) {
    const clean = name.trim();
    if (!clean || clean.length > 100) throw new AppError('validation_failed', 400, { fields: { name: 'required' } });
    const unknown = scopes.filter((s) => !(API_SCOPES as readonly string[]).includes(s));
    if (scopes.length === 0 || unknown.length) {
      throw new AppError('validation_failed', 400, { fields: { scopes: unknown.length ? 'unknown_scope' : 'required' } });
    }
    const token = `aukio_${randomToken(30)}`;
    const r = await q.query<{ id: string }>(
      `insert into api_tokens (tenant_id, name, prefix, token_hash, scopes, created_by) values ($1,$2,$3,$4,$5,$6) returning id`,
      [tenantId, clean, token.slice(0, 12), sha256(token), scopes, createdBy],
    );
    return { id: r.rows[0].id, token };
  }

  async authenticate(tenantId: string, token: string): Promise<ApiToken | null> {
    if (!token.startsWith('aukio_') || token.length > 100) return null;
    const r = await this.db.query<{ id: string; name: string; scopes: string[] }>(
      `update api_tokens set last_used_at = now() where token_hash = $1 and tenant_id = $2 and revoked_at is null
       returning id, name, scopes`,
      [sha256(token), tenantId],
    );
    const t = r.rows[0];
    return t ? { id: t.id, tenantId, name: t.name, scopes: t.scopes } : null;
  }

  async list(tenantId: string): Promise<ApiTokenListItem[]> {
    const r = await this.db.query<Record<string, unknown>>(
      `select id, name, prefix, scopes, created_at::text, last_used_at::text, revoked_at::text
       from api_tokens where tenant_id = $1 order by created_at desc`,
      [tenantId],
    );
    return r.rows.map((t) => ({
      id: t.id as string,
      name: t.name as string,
      prefix: t.prefix as string,
      scopes: t.scopes as string[],
      createdAt: t.created_at as string,
      lastUsedAt: t.last_used_at as string | null,
      revokedAt: t.revoked_at as string | null,
    }));
  }

  async revoke(q: Queryable, tenantId: string, id: string): Promise<void> {
    const r = await q.query(`update api_tokens set revoked_at = now() where tenant_id = $1 and id::text = $2 and revoked_at is null`, [
      tenantId,
      id,
    ]);
    if (r.rowCount === 0) throw new AppError('not_found', 404);
  }
}
