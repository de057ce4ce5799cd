import type { Db, Queryable } from '../../platform/db.ts';
import { randomToken, sha256 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { AuditService } from '../audit/audit.ts';
import type { Actor, ApiToken } from './actor.ts';

/**
 * Scopes an integration token can hold: the fixed, documented list. A module that adds an
 * API for integrations adds its scope here (with what it allows, in fi/sv/en) so the admin
 * form can offer it; a token can only do what its scopes say.
 */
export const API_SCOPE_DOCS = {
  'admin:users': {
    fi: 'Henkilöstökäyttäjien ja roolien hallinta',
    sv: 'Hantera personalanvändare och roller',
    en: 'Manage staff users and roles',
  },
  'admin:org-units': {
    fi: 'Organisaatioyksiköiden hallinta',
    sv: 'Hantera organisationsenheter',
    en: 'Manage org units',
  },
  'admin:settings': {
    fi: 'Organisaation asetusten luku ja muutos (kielet, teema, yhteystiedot, selosteet, henkilöstön OpenID Connect -kirjautuminen)',
    sv: 'Läsa och ändra organisationens inställningar (språk, tema, kontaktuppgifter, utlåtanden, personalens OpenID Connect-inloggning)',
    en: 'Read and change tenant settings (languages, theme, contact, statements, staff OpenID Connect sign-in)',
  },
  'audit:read': {
    fi: 'Lokitietojen luku (luku kirjataan lokiin)',
    sv: 'Läsa loggen (läsningen loggas)',
    en: 'Read the audit log (reading is itself logged)',
  },
  'catalog:import': {
    fi: 'Palvelu- ja toimipaikkatietojen tuonti',
    sv: 'Importera tjänste- och verksamhetsställeuppgifter',
    en: 'Import services and service points',
  },
  'catalog:write': {
    fi: 'Palveluiden, asiointikanavien, sisältösivujen, synonyymien ja nostojen muokkaus',
    sv: 'Redigera tjänster, servicekanaler, innehållssidor, synonymer och lyft',
    en: 'Edit services, service channels, content pages, synonyms and promoted answers',
  },
  open311: {
    fi: 'Palautteet Open311 GeoReport v2 -rajapinnan kautta',
    sv: 'Respons via Open311 GeoReport v2-gränssnittet',
    en: 'Feedback through the Open311 GeoReport v2 API',
  },
  'tenant:read': {
    fi: 'Organisaation julkisten tietojen luku',
    sv: 'Läsa organisationens offentliga uppgifter',
    en: 'Read the tenant’s public facts',
  },
  'staff:read': {
    fi: 'Henkilöstökäyttäjien luku',
    sv: 'Läsa personalanvändare',
    en: 'Read staff users',
  },
  'events:read': {
    fi: 'Reaaliaikaisten tapahtumien seuraaminen',
    sv: 'Följa realtidshändelser',
    en: 'Follow realtime events',
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type ApiScope = keyof typeof API_SCOPE_DOCS;
export const API_SCOPES = Object.keys(API_SCOPE_DOCS) as ApiScope[];

export function isApiScope(s: unknown): s is ApiScope {
  return typeof s === 'string' && Object.hasOwn(API_SCOPE_DOCS, s);
}

export interface ApiTokenListItem {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  /** ISO 8601 instants (UTC). */
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Integration tokens: the secret is shown once at creation and stored only as a SHA-256
 * hash, with its first characters kept so admins can tell tokens apart. Scoped, revocable;
 * creating and revoking are admin changes and land in the audit log in the same transaction.
 */
export class ApiTokenService {
  constructor(
    private db: Db,
    private audit?: AuditService,
  ) {}

  async create(q: Queryable, tenantId: string, name: string, scopes: string[], createdBy: string | null) {
    const clean = name.trim();
    if (!clean) throw new AppError('validation_failed', 400, { fields: { name: 'required' } });
    if (clean.length > 100) throw new AppError('validation_failed', 400, { fields: { name: 'too_long' } });
    const unique = [...new Set(scopes)];
    const unknown = unique.filter((s) => !isApiScope(s));
    if (unique.length === 0 || unknown.length) {
      throw new AppError('validation_failed', 400, { fields: { scopes: unknown.length ? 'unknown_scope' : 'required' } });
    }
    const token = `aukio_${randomToken(30)}`;
    const prefix = token.slice(0, 12);
    const r = await q.query<{ id: string }>(
      `insert into api_tokens (tenant_id, name, prefix, token_hash, scopes, created_by) values ($1,$2,$3,$4,$5,$6) returning id`,
      [tenantId, clean, prefix, sha256(token), unique, createdBy],
    );
    return { id: r.rows[0].id, token, prefix, name: clean, scopes: unique };
  }

  /** Creates a token for an admin and records it in the audit log; returns the secret once. */
  async issue(tenantId: string, actor: Actor, input: { name: string; scopes: string[] }) {
    return this.db.transaction(async (tx) => {
      const created = await this.create(tx, tenantId, input.name, input.scopes, actor.kind === 'staff' ? actor.user.id : null);
      await this.requireAudit().record(tx, tenantId, actor, {
        action: 'admin.api_token_created',
        targetKind: 'api_token',
        targetId: created.id,
        details: { name: created.name, prefix: created.prefix, scopes: created.scopes },
      });
      return created;
    });
  }

  async authenticate(tenantId: string, token: string): Promise<ApiToken | null> {
    if (!token.startsWith('aukio_') || token.length > 100) return null;
    // A busy client (an Open311 app posting hundreds of requests a second) would otherwise
    // write and lock its token row on every call: last_used_at is kept to the minute, and
    // the read that authenticates takes no lock.
    const r = await this.db.query<{ id: string; name: string; scopes: string[]; stale: boolean }>(
      `select id, name, scopes, (last_used_at is null or last_used_at < now() - interval '1 minute') as stale
       from api_tokens where token_hash = $1 and tenant_id = $2 and revoked_at is null`,
      [sha256(token), tenantId],
    );
    const t = r.rows[0];
    if (!t) return null;
    if (t.stale) {
      await this.db.query(
        `update api_tokens set last_used_at = now() where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
        [t.id],
      );
    }
    return { id: t.id, tenantId, name: t.name, scopes: t.scopes };
  }

  async list(tenantId: string): Promise<ApiTokenListItem[]> {
    const r = await this.db.query<Record<string, unknown>>(
      `select t.id, t.name, t.prefix, t.scopes, ${iso('t.created_at')} as created_at, ${iso('t.last_used_at')} as last_used_at,
         ${iso('t.revoked_at')} as revoked_at, u.name as created_by
       from api_tokens t left join staff_users u on u.tenant_id = t.tenant_id and u.id = t.created_by
       where t.tenant_id = $1 order by t.created_at desc, t.id`,
      [tenantId],
    );
    return r.rows.map((t) => ({
      id: t.id as string,
      name: t.name as string,
      prefix: t.prefix as string,
      scopes: t.scopes as string[],
      createdAt: t.created_at as string,
      createdBy: t.created_by as string | null,
      lastUsedAt: t.last_used_at as string | null,
      revokedAt: t.revoked_at as string | null,
    }));
  }

  async revoke(q: Queryable, tenantId: string, id: string): Promise<{ name: string; prefix: string }> {
    const r = await q.query<{ name: string; prefix: string }>(
      `update api_tokens set revoked_at = now() where tenant_id = $1 and id::text = $2 and revoked_at is null returning name, prefix`,
      [tenantId, id],
    );
    if (r.rowCount === 0 || !r.rows[0]) throw new AppError('not_found', 404);
    return r.rows[0];
  }

  /** Revokes a token of this tenant (404 for another tenant's or an already revoked one), audited. */
  async revokeAudited(tenantId: string, actor: Actor, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const t = await this.revoke(tx, tenantId, id);
      await this.requireAudit().record(tx, tenantId, actor, {
        action: 'admin.api_token_revoked',
        targetKind: 'api_token',
        targetId: id,
        details: { name: t.name, prefix: t.prefix },
      });
    });
  }

  private requireAudit(): AuditService {
    if (!this.audit) throw new Error('ApiTokenService was built without an AuditService');
    return this.audit;
  }
}
