import * as client from 'openid-client';
import { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import type { Db } from '../../platform/db.ts';
import { randomToken, SecretBox, sha256, safeEqual } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { isLang, LANGUAGES, pick, type Lang, type Localized } from '../../platform/i18n.ts';
import type { Queryable } from '../../platform/db.ts';
import { ANONYMOUS, type StaffUser } from './actor.ts';
import type { SessionService } from './sessions.ts';

const localizedName = z.object({ fi: z.string().max(100).optional(), sv: z.string().max(100).optional(), en: z.string().max(100).optional() });

/**
 * tenants.oidc as stored: the tenant's own identity provider (Entra ID, Keycloak, …) for
 * staff. `clientSecret` is sealed with SecretBox; a plain one (set by SQL before the
 * console could) is still read and sealed on first use. `enabled: false` keeps the
 * configuration but offers no sign-in; a missing `enabled` (older rows) means on.
 * `displayName` is per language; a plain string (older rows) serves every language.
 */
export const storedOidcSchema = z.object({
  enabled: z.boolean().optional(),
  issuer: z.string().url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  displayName: z.union([z.string().max(100), localizedName]).optional(),
});
export type StoredOidcConfig = z.infer<typeof storedOidcSchema>;

/** The usable configuration: enabled, with the client secret opened. */
export interface TenantOidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  displayName: Localized;
}

/** Path of the callback; the redirect URI to register is `{origin}` + this (no language in it). */
export const OIDC_CALLBACK_PATH = '/staff/oidc/callback';

/** Additional data of the sealed secret: it opens only in its own tenant's row. */
export const oidcSecretContext = (tenantId: string) => `tenant-oidc-client-secret:${tenantId}`;

export function storedDisplayName(s: StoredOidcConfig): Localized {
  if (typeof s.displayName === 'string') return s.displayName.trim() ? { fi: s.displayName, sv: s.displayName, en: s.displayName } : {};
  const out: Localized = {};
  for (const l of LANGUAGES) if (s.displayName?.[l]?.trim()) out[l] = s.displayName[l]!.trim();
  return out;
}

/** How long a started sign-in may take at the provider. */
const STATE_TTL_MINUTES = 10;
const DISCOVERY_TTL_MS = 10 * 60 * 1000;

export type OidcCallbackResult =
  | { ok: true; token: string; user: StaffUser; lang: Lang | null; next: string | null }
  | { ok: false; reason: 'unknown_person' | 'failed'; lang: Lang | null };

interface StateData {
  nonce: string;
  verifier: string;
  browser: string;
  lang: string | null;
  next: string | null;
}

/** Plain HTTP is only ever allowed to a provider on this machine (tests, local Keycloak). */
export function isLocalIssuer(issuer: URL): boolean {
  return issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
}

/**
 * OpenID Connect sign-in for staff with the authorization code flow, PKCE, state and
 * nonce. The state row (one_time_tokens, purpose oidc_state) keeps the nonce and PKCE
 * verifier server-side and is bound to the browser that started the flow. People are
 * matched to existing staff accounts only: by subject, else once by verified e-mail.
 */
export class OidcService {
  private discovered = new Map<string, { key: string; at: number; config: Promise<client.Configuration> }>();

  constructor(
    private db: Db,
    private sessions: SessionService,
    private audit: AuditService,
    readonly box: SecretBox,
  ) {}

  /** The row as stored (sealed secret), or null when there is none or it is malformed. */
  async stored(tenantId: string, q: Queryable = this.db): Promise<StoredOidcConfig | null> {
    const r = await q.query<{ oidc: unknown }>('select oidc from tenants where id = $1', [tenantId]);
    const parsed = storedOidcSchema.safeParse(r.rows[0]?.oidc);
    return parsed.success ? parsed.data : null;
  }

  /** The stored client secret in plain text; null when it was sealed with another key. */
  openSecret(tenantId: string, stored: string): string | null {
    return SecretBox.isSealed(stored) ? this.box.open(stored, oidcSecretContext(tenantId)) : stored;
  }

  /** The enabled configuration with its secret opened, or null (off, missing, or unreadable). */
  async tenantConfig(tenantId: string): Promise<TenantOidcConfig | null> {
    const s = await this.stored(tenantId);
    if (!s || s.enabled === false) return null;
    const secret = this.openSecret(tenantId, s.clientSecret);
    // Sealed under another SESSION_SECRET: unusable until an admin enters the secret again.
    if (secret === null) return null;
    if (!SecretBox.isSealed(s.clientSecret)) await this.sealPlainSecret(tenantId, s.clientSecret);
    return { issuer: s.issuer, clientId: s.clientId, clientSecret: secret, displayName: storedDisplayName(s) };
  }

  /**
   * Rows written by SQL before the console existed hold the secret in plain text; the
   * first read seals it in place. The condition leaves a concurrent admin change alone.
   */
  private async sealPlainSecret(tenantId: string, plain: string): Promise<void> {
    await this.db.query(
      `update tenants set oidc = jsonb_set(oidc, '{clientSecret}', to_jsonb($2::text)) where id = $1 and oidc->>'clientSecret' = $3`,
      [tenantId, this.box.seal(plain, oidcSecretContext(tenantId)), plain],
    );
  }

  /** The button text's provider name in the page language, or null when the tenant has no OIDC. */
  async displayName(tenantId: string, lang: Lang): Promise<string | null> {
    const c = await this.tenantConfig(tenantId);
    if (!c) return null;
    return pick(c.displayName, lang).text || new URL(c.issuer).host;
  }

  /**
   * Runs OpenID Connect discovery against an issuer without caching, to check an admin's
   * input before it is saved. Throws when the provider does not answer with valid metadata
   * for exactly this issuer.
   */
  async checkDiscovery(issuer: string, clientId: string): Promise<void> {
    const url = new URL(issuer);
    await client.discovery(url, clientId, undefined, undefined, {
      execute: isLocalIssuer(url) ? [client.allowInsecureRequests] : [],
      timeout: 10,
    });
  }

  private configuration(tenantId: string, c: TenantOidcConfig): Promise<client.Configuration> {
    const key = `${c.issuer}|${c.clientId}|${sha256(c.clientSecret)}`;
    const hit = this.discovered.get(tenantId);
    if (hit && hit.key === key && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
    const issuer = new URL(c.issuer);
    const config = client.discovery(issuer, c.clientId, c.clientSecret, undefined, {
      execute: isLocalIssuer(issuer) ? [client.allowInsecureRequests] : [],
      timeout: 10,
    });
    this.discovered.set(tenantId, { key, at: Date.now(), config });
    // A failed discovery must not stay cached.
    config.catch(() => this.discovered.delete(tenantId));
    return config;
  }

  /**
   * Stores state, nonce and PKCE verifier and returns the provider's authorization URL,
   * plus a random value the caller sets as a cookie to bind the flow to this browser.
   */
  async start(input: { tenantId: string; redirectUri: string; lang: Lang; next: string | null }): Promise<{ url: string; browserToken: string }> {
    const c = await this.tenantConfig(input.tenantId);
    if (!c) throw new AppError('feature_disabled', 404);
    let config: client.Configuration;
    try {
      config = await this.configuration(input.tenantId, c);
    } catch {
      throw new AppError('upstream_failed', 502);
    }
    const state = client.randomState();
    const nonce = client.randomNonce();
    const verifier = client.randomPKCECodeVerifier();
    const browserToken = randomToken(24);
    const data: StateData = { nonce, verifier, browser: sha256(browserToken), lang: input.lang, next: input.next };
    await this.db.query(
      `insert into one_time_tokens (tenant_id, purpose, token_hash, subject, data, expires_at)
       values ($1, 'oidc_state', $2, $2, $3, now() + make_interval(mins => $4))`,
      [input.tenantId, sha256(state), JSON.stringify(data), STATE_TTL_MINUTES],
    );
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: input.redirectUri,
      scope: 'openid email profile',
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, browserToken };
  }

  /** Finishes the flow: checks the state, exchanges the code, validates the ID token, signs in. */
  async callback(input: {
    tenantId: string;
    params: URLSearchParams;
    redirectUri: string;
    browserToken: string | undefined;
    ip: string;
  }): Promise<OidcCallbackResult> {
    const { tenantId, ip } = input;
    const state = input.params.get('state') ?? '';
    if (!state || state.length > 200) return { ok: false, reason: 'failed', lang: null };
    // Using the state up first makes a replayed callback fail even if the code were still valid.
    const r = await this.db.query<{ data: StateData }>(
      `update one_time_tokens set used_at = now()
       where tenant_id = $1 and purpose = 'oidc_state' and token_hash = $2 and used_at is null and expires_at > now()
       returning data`,
      [tenantId, sha256(state)],
    );
    const data = r.rows[0]?.data;
    if (!data) return { ok: false, reason: 'failed', lang: null };
    const lang = isLang(data.lang) ? data.lang : null;
    if (!input.browserToken || !safeEqual(sha256(input.browserToken), data.browser)) return this.failed(tenantId, ip, lang, 'browser_mismatch');

    const c = await this.tenantConfig(tenantId);
    if (!c) return { ok: false, reason: 'failed', lang };
    let claims: { sub: string; email?: string; verified: boolean };
    try {
      const config = await this.configuration(tenantId, c);
      const currentUrl = new URL(input.redirectUri);
      for (const [k, v] of input.params) currentUrl.searchParams.append(k, v);
      const tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: data.verifier,
        expectedNonce: data.nonce,
        expectedState: state,
        idTokenExpected: true,
      });
      const id = tokens.claims()!;
      let email = typeof id.email === 'string' ? id.email : undefined;
      let verified = id.email_verified === true;
      if (!email && tokens.access_token) {
        // Some providers (Entra ID by default) put the address only in userinfo.
        const info = await client.fetchUserInfo(config, tokens.access_token, id.sub);
        email = typeof info.email === 'string' ? info.email : undefined;
        verified = info.email_verified === true;
      }
      claims = { sub: id.sub, email, verified };
    } catch {
      return this.failed(tenantId, ip, lang, 'provider_response');
    }

    const user = await this.db.transaction(async (tx) => {
      let row = (
        await tx.query<{ id: string }>('select id from staff_users where tenant_id = $1 and oidc_subject = $2 and active', [tenantId, claims.sub])
      ).rows[0];
      let linked = false;
      if (!row && claims.email && claims.verified) {
        // First OIDC sign-in of an existing account: link it by its verified address, once.
        const byEmail = await tx.query<{ id: string }>(
          `update staff_users set oidc_subject = $3
           where tenant_id = $1 and lower(email) = lower($2) and active and oidc_subject is null returning id`,
          [tenantId, claims.email, claims.sub],
        );
        row = byEmail.rows[0];
        linked = !!row;
      }
      if (!row) {
        await this.audit.record(tx, tenantId, ANONYMOUS, {
          action: 'staff.sign_in_failed',
          details: { method: 'oidc', reason: 'unknown_person', ...(claims.email ? { emailHash: sha256(claims.email.toLowerCase()) } : {}) },
          ip,
        });
        return null;
      }
      const u = (await this.sessions.loadStaffUser(tenantId, row.id, tx))!;
      const token = await this.sessions.create(tx, { tenantId, staffUserId: u.id, method: 'oidc' });
      await tx.query('update staff_users set last_sign_in_at = now() where tenant_id = $1 and id = $2', [tenantId, u.id]);
      await this.audit.record(tx, tenantId, { kind: 'staff', user: u, sessionId: '' }, {
        action: 'staff.sign_in',
        targetKind: 'staff_user',
        targetId: u.id,
        details: { method: 'oidc', ...(linked ? { linkedBy: 'verified_email' } : {}) },
        ip,
      });
      return { user: u, token };
    });
    if (!user) return { ok: false, reason: 'unknown_person', lang };
    return { ok: true, token: user.token, user: user.user, lang, next: data.next };
  }

  private async failed(tenantId: string, ip: string, lang: Lang | null, why: string): Promise<OidcCallbackResult> {
    await this.db.transaction((tx) =>
      this.audit.record(tx, tenantId, ANONYMOUS, { action: 'staff.sign_in_failed', details: { method: 'oidc', reason: why }, ip }),
    );
    return { ok: false, reason: 'failed', lang };
  }
}
