import { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import type { Db } from '../../platform/db.ts';
import { SecretBox } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { LANGUAGES, type Localized } from '../../platform/i18n.ts';
import type { Actor } from './actor.ts';
import { oidcSecretContext, storedDisplayName, type OidcService, type StoredOidcConfig } from './oidc.ts';

const text = (max: number) => z.string().trim().max(max, 'too_long');

/**
 * A tenant admin's OpenID Connect settings (PUT semantics: the whole configuration). The
 * client secret is write-only: absent or empty keeps the stored one. Turning OIDC off keeps
 * the rest, so it can be turned on again; off with an empty issuer and client id removes it.
 */
export const oidcSettingsInput = z
  .object({
    enabled: z.boolean('invalid_type'),
    issuer: text(500).optional(),
    clientId: text(300).optional(),
    clientSecret: z.string().max(1000, 'too_long').optional(),
    displayName: z.object({ fi: text(100).optional(), sv: text(100).optional(), en: text(100).optional() }).strict().optional(),
  })
  .strict();
export type OidcSettingsInput = z.output<typeof oidcSettingsInput>;

/** What the console and the API show. Never the secret: only whether one is stored and readable. */
export interface OidcSettingsView {
  enabled: boolean;
  configured: boolean;
  issuer: string;
  clientId: string;
  clientSecretSet: boolean;
  /** False when the stored secret was sealed with another SESSION_SECRET and must be entered again. */
  clientSecretReadable: boolean;
  displayName: Localized;
}

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The field error code for an issuer URL, or null when it is acceptable: https, or plain
 * http to this machine outside production (tests, a local Keycloak). An issuer identifier
 * has no credentials, query or fragment (OpenID Connect Discovery 1.0, section 2).
 */
export function issuerProblem(issuer: string, production: boolean): string | null {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'issuer_url';
  }
  if (url.username || url.password || url.search || url.hash || issuer.includes('#') || issuer.includes('?')) return 'issuer_url';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && !production && LOCAL_HOSTS.includes(url.hostname)) return null;
  return 'https_required';
}

/**
 * The tenant's OpenID Connect configuration as admins change it: validated (the issuer by
 * a live discovery when the configuration is on), the secret sealed, audited as
 * admin.oidc_changed with the changed field names (never the secret) in one transaction.
 */
export class OidcSettingsService {
  constructor(
    private db: Db,
    private audit: AuditService,
    private oidc: OidcService,
    private production: boolean,
  ) {}

  private view(tenantId: string, s: StoredOidcConfig | null): OidcSettingsView {
    if (!s) return { enabled: false, configured: false, issuer: '', clientId: '', clientSecretSet: false, clientSecretReadable: false, displayName: {} };
    return {
      enabled: s.enabled !== false,
      configured: true,
      issuer: s.issuer,
      clientId: s.clientId,
      clientSecretSet: true,
      clientSecretReadable: this.oidc.openSecret(tenantId, s.clientSecret) !== null,
      displayName: storedDisplayName(s),
    };
  }

  async get(tenantId: string): Promise<OidcSettingsView> {
    return this.view(tenantId, await this.oidc.stored(tenantId));
  }

  /** Saves the settings; returns the changed field names (empty when nothing changed) and the result. */
  async change(tenantId: string, actor: Actor, input: OidcSettingsInput): Promise<{ changed: string[]; settings: OidcSettingsView }> {
    const issuer = input.issuer ?? '';
    const clientId = input.clientId ?? '';
    const newSecret = input.clientSecret?.trim() ?? '';
    const displayName: Localized = {};
    for (const l of LANGUAGES) if (input.displayName?.[l]) displayName[l] = input.displayName[l];
    const current = await this.oidc.stored(tenantId);
    const removing = !input.enabled && !issuer && !clientId && !newSecret;

    if (!removing) {
      const fields: Record<string, string> = {};
      if (!issuer) fields.issuer = 'required';
      else {
        const problem = issuerProblem(issuer, this.production);
        if (problem) fields.issuer = problem;
      }
      if (!clientId) fields.clientId = 'required';
      // A stored secret that no longer opens does not count: the admin must enter it again.
      const storedUsable = !!current && this.oidc.openSecret(tenantId, current.clientSecret) !== null;
      if (!newSecret && !storedUsable) fields.clientSecret = 'required';
      if (Object.keys(fields).length) throw new AppError('validation_failed', 400, { fields });
      // Only a configuration that will be used must answer now; turning off a broken provider must work.
      if (input.enabled) {
        try {
          await this.oidc.checkDiscovery(issuer, clientId);
        } catch {
          throw new AppError('validation_failed', 400, { fields: { issuer: 'discovery_failed' } });
        }
      }
    }

    const result = await this.db.transaction(async (tx) => {
      // Lock the row so two admins saving at once apply one after the other.
      await tx.query('select 1 from tenants where id = $1 for update', [tenantId]);
      const before = await this.oidc.stored(tenantId, tx);
      let after: StoredOidcConfig | null = null;
      const changed: string[] = [];
      if (removing) {
        if (before) changed.push('removed');
      } else {
        const beforeSecret = before ? this.oidc.openSecret(tenantId, before.clientSecret) : null;
        const secretChanged = !!newSecret && newSecret !== beforeSecret;
        if (!secretChanged && beforeSecret === null) throw new AppError('validation_failed', 400, { fields: { clientSecret: 'required' } });
        after = {
          enabled: input.enabled,
          issuer,
          clientId,
          // Written only sealed; an unchanged secret is resealed so a plain legacy value disappears.
          clientSecret: this.oidc.box.seal(secretChanged ? newSecret : (beforeSecret as string), oidcSecretContext(tenantId)),
          displayName,
        };
        const beforeName = before ? storedDisplayName(before) : {};
        if (!before || (before.enabled !== false) !== input.enabled) changed.push('enabled');
        if (before?.issuer !== issuer) changed.push('issuer');
        if (before?.clientId !== clientId) changed.push('clientId');
        if (secretChanged) changed.push('clientSecret');
        for (const l of LANGUAGES) if ((beforeName[l] ?? '') !== (displayName[l] ?? '')) changed.push(`displayName.${l}`);
        // A legacy plain secret is sealed even when nothing else changes.
        if (!changed.length && before && SecretBox.isSealed(before.clientSecret)) return { changed, after: before };
      }
      if (!changed.length && !after) return { changed, after: before };
      await tx.query('update tenants set oidc = $2 where id = $1', [tenantId, after ? JSON.stringify(after) : null]);
      if (changed.length) {
        await this.audit.record(tx, tenantId, actor, {
          action: 'admin.oidc_changed',
          targetKind: 'tenant',
          targetId: tenantId,
          details: { fields: changed, enabled: after?.enabled ?? false },
        });
      }
      return { changed, after };
    });
    return { changed: result.changed, settings: this.view(tenantId, result.after) };
  }
}
