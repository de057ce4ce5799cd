import * as client from 'openid-client';
import { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import type { Db } from '../../platform/db.ts';
import { randomToken, sha256, safeEqual } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { isLang, type Lang } from '../../platform/i18n.ts';
import { ANONYMOUS, type StaffUser } from './actor.ts';
import type { SessionService } from './sessions.ts';

/** tenants.oidc: the tenant's own identity provider (Entra ID, Keycloak, …) for staff. */
export const tenantOidcSchema = z.object({
  issuer: z.string().url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  displayName: z.string().min(1).max(100).optional(),
});
export type TenantOidcConfig = z.infer<typeof tenantOidcSchema>;

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
  ) {}

  async tenantConfig(tenantId: string): Promise<TenantOidcConfig | null> {
    const r = await this.db.query<{ oidc: unknown }>('select oidc from tenants where id = $1', [tenantId]);
    const parsed = tenantOidcSchema.safeParse(r.rows[0]?.oidc);
    return parsed.success ? parsed.data : null;
  }

  /** The button text's provider name, or null when the tenant has no OIDC. */
  async displayName(tenantId: string): Promise<string | null> {
    const c = await this.tenantConfig(tenantId);
    return c ? (c.displayName ?? new URL(c.issuer).host) : null;
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
