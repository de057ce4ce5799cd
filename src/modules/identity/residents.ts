import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  IdentificationError,
  type Relay,
  type RequestIdStore,
  type StrongIdentityAdapter,
  type StrongMethod,
  type VerifiedPerson,
} from '../../adapters/identity/identity.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { hmac, randomToken, safeEqual, sha256 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { isLang, type Lang } from '../../platform/i18n.ts';
import type { Logger } from '../../platform/log.ts';
import { parse } from '../../platform/validation.ts';
import type { AuditService } from '../audit/audit.ts';
import type { Actor, Resident } from './actor.ts';
import { isValidHetu, maskHetu } from './hetu.ts';
import type { SessionService } from './sessions.ts';

/** How a resident proved who they are; stored as the session's auth_method. */
export type ResidentMethod = StrongMethod | 'email_code';
export type Assurance = 'strong' | 'weak';

export interface ResidentProfile {
  id: string;
  assurance: Assurance;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  /** 010280-***L; the full code never leaves this module through a profile. */
  nationalIdMasked: string | null;
  preferredLanguage: Lang | null;
  createdAt: string;
  lastSignInAt: string | null;
}

/** Facts about the request a sign-in happens in. */
export interface SignInContext {
  tenantId: string;
  ip: string;
  lang: Lang;
  /** The browser's current session, replaced by the new one (no session fixation). */
  priorSessionId?: string;
}

export interface SignedIn {
  residentId: string;
  /** Cookie value for the new session. */
  sessionToken: string;
}

export interface Mail {
  enqueue(tx: Queryable, m: { tenantId: string; to: string; subject: string; text: string }): Promise<void>;
}

export const EMAIL_CODE = {
  ttlMinutes: 10,
  maxAttempts: 5,
  /** Codes requested for one address per window. */
  perAddress: 5,
  /** Codes requested from one IP address per window. */
  perIp: 20,
  windowMinutes: 15,
} as const;

const SAML_REQUEST_TTL_MINUTES = 30;

const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());

const CODE_MAIL: Record<Lang, { subject: string; text: (code: string) => string }> = {
  fi: {
    subject: 'Kirjautumiskoodisi',
    text: (code) =>
      `Kirjautumiskoodisi on ${code}\n\nKoodi on voimassa ${EMAIL_CODE.ttlMinutes} minuuttia. Jos et pyytänyt koodia, voit jättää tämän viestin huomiotta.`,
  },
  sv: {
    subject: 'Din inloggningskod',
    text: (code) =>
      `Din inloggningskod är ${code}\n\nKoden gäller i ${EMAIL_CODE.ttlMinutes} minuter. Om du inte bad om en kod kan du lämna det här meddelandet utan åtgärd.`,
  },
  en: {
    subject: 'Your sign-in code',
    text: (code) => `Your sign-in code is ${code}\n\nThe code is valid for ${EMAIL_CODE.ttlMinutes} minutes. If you did not ask for a code, you can ignore this message.`,
  },
};

/**
 * Residents: who they are (strongly via Suomi.fi or the development IdP, weakly via a
 * verified e-mail address), their sessions and their contact details. Strong residents
 * are keyed by personal identity code, weak ones by e-mail address; the two never merge,
 * since an e-mail code must not open what a Suomi.fi identification protects.
 */
export class ResidentService {
  constructor(
    private db: Db,
    private audit: AuditService,
    private sessions: SessionService,
    private mail: Mail,
    private log: Logger,
    /** Keys the hashes of e-mailed codes, so a leaked table cannot be brute-forced offline. */
    private secret: string,
  ) {}

  /**
   * InResponseTo bookkeeping for SAML, in one_time_tokens, scoped to the tenant. With
   * `browserHash`, the request also remembers the browser that started it.
   */
  samlRequestStore(tenantId: string, browserHash?: string): RequestIdStore {
    const db = this.db;
    return {
      async save(requestId, issuedAt) {
        await db.query(
          `insert into one_time_tokens (tenant_id, purpose, token_hash, subject, data, expires_at)
           values ($1, 'saml_request', $2, $3, $4, now() + make_interval(mins => $5))`,
          [tenantId, sha256(requestId), requestId.slice(0, 200), JSON.stringify({ issuedAt, browser: browserHash ?? null }), SAML_REQUEST_TTL_MINUTES],
        );
      },
      async get(requestId) {
        const r = await db.query<{ issued_at: string }>(
          `select data->>'issuedAt' as issued_at from one_time_tokens
           where tenant_id = $1 and purpose = 'saml_request' and subject = $2 and token_hash = $3
             and used_at is null and expires_at > now()`,
          [tenantId, requestId.slice(0, 200), sha256(requestId)],
        );
        return r.rows[0]?.issued_at ?? null;
      },
      async consume(requestId) {
        const r = await db.query(
          `update one_time_tokens set used_at = now()
           where tenant_id = $1 and purpose = 'saml_request' and subject = $2 and token_hash = $3
             and used_at is null and expires_at > now()`,
          [tenantId, requestId.slice(0, 200), sha256(requestId)],
        );
        return r.rowCount === 1;
      },
    };
  }

  /**
   * Leg 1 of strong identification: where to send the browser. With bindBrowser, also a
   * nonce for a cookie the browser must bring back to the ACS, so a response obtained in
   * someone else's browser cannot sign this one in (login CSRF). Only possible over HTTPS:
   * the IdP's cross-site POST carries only SameSite=None cookies, and those must be Secure.
   */
  async startStrong(
    tenantId: string,
    adapter: StrongIdentityAdapter,
    origin: string,
    relay: Relay,
    opts: { bindBrowser?: boolean } = {},
  ): Promise<{ redirectUrl: string; browserNonce?: string }> {
    const browserNonce = opts.bindBrowser ? randomToken(24) : undefined;
    const store = this.samlRequestStore(tenantId, browserNonce ? sha256(browserNonce) : undefined);
    const { redirectUrl } = await adapter.start({ origin, relay, store });
    return { redirectUrl, browserNonce };
  }

  /**
   * Leg 2: what the provider sent back becomes a signed-in resident, or a 400
   * identification_failed whose reason goes to the log (no personal data in it).
   */
  async completeStrong(
    ctx: SignInContext,
    adapter: StrongIdentityAdapter,
    origin: string,
    form: Record<string, string>,
    browserNonce?: string,
  ): Promise<SignedIn & { relay: Partial<Relay> | null }> {
    try {
      const { person, relay, requestId } = await adapter.complete({ origin, form, store: this.samlRequestStore(ctx.tenantId) });
      if (requestId) await this.checkBrowser(ctx.tenantId, requestId, browserNonce);
      return { ...(await this.signInStrong(ctx, person, adapter.method)), relay };
    } catch (e) {
      if (!(e instanceof IdentificationError)) throw e;
      this.log.warn({ tenantId: ctx.tenantId, method: adapter.method, reason: e.reason }, 'resident identification refused');
      throw new AppError('identification_failed', 400);
    }
  }

  private async checkBrowser(tenantId: string, requestId: string, browserNonce: string | undefined) {
    const r = await this.db.query<{ browser: string | null }>(
      `select data->>'browser' as browser from one_time_tokens
       where tenant_id = $1 and purpose = 'saml_request' and subject = $2 and token_hash = $3`,
      [tenantId, requestId.slice(0, 200), sha256(requestId)],
    );
    const expected = r.rows[0]?.browser;
    if (expected && !(browserNonce && safeEqual(sha256(browserNonce), expected))) {
      throw new IdentificationError('saml: response came to another browser than the one that started the request');
    }
  }

  /** Signs in the person a strong identity provider vouched for; creates them on first visit. */
  async signInStrong(ctx: SignInContext, person: VerifiedPerson, method: StrongMethod): Promise<SignedIn> {
    const nationalId = person.nationalId.trim().toUpperCase();
    if (!isValidHetu(nationalId)) throw new IdentificationError('personal identity code fails its check');
    const givenName = person.givenName.trim().slice(0, 200) || null;
    const familyName = person.familyName.trim().slice(0, 200) || null;
    return this.db.transaction(async (tx) => {
      // Names follow the population register on every sign-in; the code never changes.
      const r = await tx.query<{ id: string }>(
        `insert into residents (tenant_id, assurance, national_id, given_name, family_name, preferred_language, last_sign_in_at)
         values ($1, 'strong', $2, $3, $4, $5, now())
         on conflict (tenant_id, national_id) do update
           set given_name = excluded.given_name, family_name = excluded.family_name, last_sign_in_at = now(),
               preferred_language = coalesce(residents.preferred_language, excluded.preferred_language)
         returning id`,
        [ctx.tenantId, nationalId, givenName, familyName, ctx.lang],
      );
      return this.openSession(tx, ctx, r.rows[0].id, method, 'strong');
    });
  }

  /**
   * Step 1 of e-mail sign-in: e-mails a 6-digit code. Returns the challenge id the
   * verify form carries, so the address itself never travels in a URL.
   */
  async requestEmailCode(ctx: SignInContext, rawEmail: unknown): Promise<{ challengeId: string }> {
    const email = parse(z.object({ email: emailSchema }), { email: rawEmail }).email;
    await this.throttle(ctx.tenantId, `resident_email_code:ip:${ctx.ip}`, EMAIL_CODE.perIp);
    await this.throttle(ctx.tenantId, `resident_email_code:addr:${sha256(email)}`, EMAIL_CODE.perAddress);
    const challengeId = randomUUID();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const mail = CODE_MAIL[ctx.lang];
    await this.db.transaction(async (tx) => {
      // Only the newest code for an address is live, which also caps guesses.
      await tx.query(
        `update one_time_tokens set used_at = now()
         where tenant_id = $1 and purpose = 'email_code' and subject = $2 and used_at is null`,
        [ctx.tenantId, email],
      );
      await tx.query(
        `insert into one_time_tokens (id, tenant_id, purpose, token_hash, subject, data, expires_at)
         values ($1, $2, 'email_code', $3, $4, $5, now() + make_interval(mins => $6))`,
        [challengeId, ctx.tenantId, this.codeHash(challengeId, code), email, JSON.stringify({ lang: ctx.lang }), EMAIL_CODE.ttlMinutes],
      );
      await this.mail.enqueue(tx, { tenantId: ctx.tenantId, to: email, subject: mail.subject, text: mail.text(code) });
    });
    return { challengeId };
  }

  /** The address a live challenge was sent to (to remind the person where to look). */
  async emailChallenge(tenantId: string, challengeId: string): Promise<{ email: string } | null> {
    if (!isUuid(challengeId)) return null;
    const r = await this.db.query<{ subject: string }>(
      `select subject from one_time_tokens
       where tenant_id = $1 and id = $2 and purpose = 'email_code' and used_at is null and expires_at > now() and attempts < $3`,
      [tenantId, challengeId, EMAIL_CODE.maxAttempts],
    );
    return r.rows[0] ? { email: r.rows[0].subject } : null;
  }

  /** Step 2: the code from the e-mail signs in (and on first use creates) a weak resident. */
  async verifyEmailCode(ctx: SignInContext, challengeId: unknown, rawCode: unknown): Promise<SignedIn> {
    const input = parse(
      z.object({ challengeId: z.string().uuid(), code: z.string().trim().regex(/^\d{6}$/, 'six digits') }),
      { challengeId, code: typeof rawCode === 'string' ? rawCode.replace(/\s+/g, '') : rawCode },
    );
    // The attempt is counted in its own statement, committed even when the code is wrong;
    // a challenge past its attempts or time no longer answers at all.
    const r = await this.db.query<{ token_hash: string; subject: string }>(
      `update one_time_tokens set attempts = attempts + 1
       where tenant_id = $1 and id = $2 and purpose = 'email_code' and used_at is null and expires_at > now() and attempts < $3
       returning token_hash, subject`,
      [ctx.tenantId, input.challengeId, EMAIL_CODE.maxAttempts],
    );
    const row = r.rows[0];
    if (!row || !safeEqual(row.token_hash, this.codeHash(input.challengeId, input.code))) {
      throw new AppError('invalid_code', 400, { fields: { code: 'invalid_code' } });
    }
    return this.db.transaction(async (tx) => {
      const used = await tx.query(`update one_time_tokens set used_at = now() where tenant_id = $1 and id = $2 and used_at is null`, [
        ctx.tenantId,
        input.challengeId,
      ]);
      if (used.rowCount !== 1) throw new AppError('invalid_code', 400, { fields: { code: 'invalid_code' } });
      const res = await tx.query<{ id: string }>(
        `insert into residents (tenant_id, assurance, email, preferred_language, last_sign_in_at)
         values ($1, 'weak', $2, $3, now())
         on conflict (tenant_id, lower(email)) where assurance = 'weak' do update set last_sign_in_at = now()
         returning id`,
        [ctx.tenantId, row.subject, ctx.lang],
      );
      return this.openSession(tx, ctx, res.rows[0].id, 'email_code', 'weak');
    });
  }

  async signOut(tenantId: string, actor: Actor, ip: string): Promise<void> {
    if (actor.kind !== 'resident') return;
    await this.db.transaction(async (tx) => {
      await tx.query('delete from sessions where id = $1 and tenant_id = $2', [actor.sessionId, tenantId]);
      await this.audit.record(tx, tenantId, actor, { action: 'resident.sign_out', targetKind: 'resident', targetId: actor.resident.id, ip });
    });
  }

  async profile(tenantId: string, residentId: string): Promise<ResidentProfile | null> {
    const r = await this.db.query<{
      id: string;
      assurance: Assurance;
      given_name: string | null;
      family_name: string | null;
      email: string | null;
      national_id: string | null;
      preferred_language: string | null;
      created_at: string;
      last_sign_in_at: string | null;
    }>(
      `select id, assurance, given_name, family_name, email, national_id, preferred_language,
         to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at,
         to_char(last_sign_in_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as last_sign_in_at
       from residents where tenant_id = $1 and id = $2`,
      [tenantId, residentId],
    );
    const x = r.rows[0];
    if (!x) return null;
    return {
      id: x.id,
      assurance: x.assurance,
      givenName: x.given_name,
      familyName: x.family_name,
      email: x.email,
      nationalIdMasked: x.national_id ? maskHetu(x.national_id) : null,
      preferredLanguage: isLang(x.preferred_language) ? x.preferred_language : null,
      createdAt: x.created_at,
      lastSignInAt: x.last_sign_in_at,
    };
  }

  /**
   * A resident's own contact details. The e-mail address of a weak resident is their
   * identity and cannot change here; a strong resident sets it as a contact address.
   */
  async updateContact(
    tenantId: string,
    actor: Actor,
    input: { email?: unknown; preferredLanguage?: unknown },
    allowedLanguages: readonly Lang[],
    ip: string,
  ): Promise<ResidentProfile> {
    if (actor.kind !== 'resident') throw new AppError('unauthenticated', 401);
    const resident = actor.resident;
    const v = parse(
      z.object({
        email: z.union([z.literal(''), emailSchema]).optional(),
        preferredLanguage: z.enum(allowedLanguages as [Lang, ...Lang[]]),
      }),
      { email: typeof input.email === 'string' ? input.email.trim() : input.email, preferredLanguage: input.preferredLanguage },
    );
    const changes: string[] = [];
    await this.db.transaction(async (tx) => {
      if (resident.assurance === 'strong' && v.email !== undefined) {
        const r = await tx.query(`update residents set email = $3 where tenant_id = $1 and id = $2 and email is distinct from $3`, [
          tenantId,
          resident.id,
          v.email || null,
        ]);
        if (r.rowCount) changes.push('email');
      }
      const r = await tx.query(
        `update residents set preferred_language = $3 where tenant_id = $1 and id = $2 and preferred_language is distinct from $3`,
        [tenantId, resident.id, v.preferredLanguage],
      );
      if (r.rowCount) changes.push('preferred_language');
      if (changes.length) {
        await this.audit.record(tx, tenantId, actor, {
          action: 'resident.update_contact',
          targetKind: 'resident',
          targetId: resident.id,
          details: { fields: changes },
          ip,
        });
      }
    });
    return (await this.profile(tenantId, resident.id))!;
  }

  private async openSession(tx: Queryable, ctx: SignInContext, residentId: string, method: ResidentMethod, assurance: Assurance): Promise<SignedIn> {
    if (ctx.priorSessionId) await tx.query('delete from sessions where id = $1 and tenant_id = $2', [ctx.priorSessionId, ctx.tenantId]);
    const sessionToken = await this.sessions.create(tx, { tenantId: ctx.tenantId, residentId, method });
    const actor: Actor = { kind: 'resident', resident: { id: residentId } as Resident, sessionId: '' };
    await this.audit.record(tx, ctx.tenantId, actor, {
      action: 'resident.sign_in',
      targetKind: 'resident',
      targetId: residentId,
      details: { method, assurance },
      ip: ctx.ip,
    });
    // Operators see that sign-ins happen, never who signed in.
    this.log.info({ tenantId: ctx.tenantId, method, assurance }, 'resident signed in');
    return { residentId, sessionToken };
  }

  private codeHash(challengeId: string, code: string) {
    return hmac(this.secret, `email_code:${challengeId}:${code}`);
  }

  /**
   * Counts one request against a fixed window in auth_throttle; past the limit the
   * caller gets 429 with Retry-After. Committed on its own, so refused requests count.
   */
  private async throttle(tenantId: string, key: string, limit: number) {
    const r = await this.db.query<{ count: number; retry_after: number }>(
      `insert into auth_throttle (tenant_id, key, failures, window_started_at) values ($1, $2, 1, now())
       on conflict (tenant_id, key) do update set
         failures = case when auth_throttle.window_started_at < now() - make_interval(mins => $3) then 1 else auth_throttle.failures + 1 end,
         window_started_at = case when auth_throttle.window_started_at < now() - make_interval(mins => $3) then now() else auth_throttle.window_started_at end
       returning failures as count,
         greatest(1, ceil(extract(epoch from (window_started_at + make_interval(mins => $3) - now()))))::int as retry_after`,
      [tenantId, key, EMAIL_CODE.windowMinutes],
    );
    const row = r.rows[0];
    if (row.count > limit) {
      throw new AppError('too_many_requests', 429, undefined, { 'retry-after': String(row.retry_after) });
    }
  }
}

function isUuid(v: string) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}
