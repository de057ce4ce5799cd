import { createPrivateKey, X509Certificate } from 'node:crypto';
import { z } from 'zod';

/**
 * All configuration comes from the environment and is validated once at boot.
 * A wrong value stops the process with one line naming the variable (see loadConfig).
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** PEM text or bare base64 DER; normalised to PEM and checked to parse. */
function pemOrBase64(kind: 'certificate' | 'private key') {
  return z.string().transform((raw, ctx) => {
    const pem = toPem(raw, kind === 'certificate' ? 'CERTIFICATE' : 'PRIVATE KEY');
    try {
      if (kind === 'certificate') new X509Certificate(pem);
      else createPrivateKey(pem);
    } catch {
      ctx.addIssue({ code: 'custom', message: `is not a valid ${kind} (PEM or base64)` });
      return z.NEVER;
    }
    return pem;
  });
}

function toPem(raw: string, label: string): string {
  const text = raw.replace(/\\n/g, '\n').trim();
  if (text.startsWith('-----BEGIN')) return text + '\n';
  const b64 = text.replace(/\s+/g, '');
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END ${label}-----\n`;
}

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    /** Public base URL used in e-mailed links; {host} is replaced by the tenant's host. */
    PUBLIC_URL: z.string().url().optional(),
    /** postgres://… selects a real PostgreSQL; without it Aukio embeds PGlite under DATA_DIR. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    /** Connections each instance keeps to PostgreSQL (with DATABASE_URL); keep the sum over instances below the server's max_connections. */
    DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
    /** web = HTTP only, worker = jobs only, both = default. */
    ROLE: z.enum(['web', 'worker', 'both']).default('both'),
    /** Secret for signing tokens. Required in production. */
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SESSION_TTL_MINUTES: z.coerce.number().int().min(5).max(60 * 24 * 30).default(60 * 8),
    /** Cookies get the Secure flag. Defaults to true in production. */
    COOKIE_SECURE: bool.optional(),
    /** Tenant slug that plain localhost (and any host in DEFAULT_TENANT_HOSTS) resolves to. */
    DEFAULT_TENANT: z.string().min(1).default('esimerkkila'),
    /** Seed the two demo tenants on first start. Defaults to true unless production. */
    SEED_DEMO: bool.optional(),
    /** Built-in development identity provider for residents. Defaults to true unless production. */
    DEV_IDP: bool.optional(),
    /**
     * Addresses tenant staff configure (Mastodon instance, webhook) may be http and point at
     * loopback or private networks. Defaults to true unless production (see platform/outbound.ts).
     */
    OUTBOUND_ALLOW_PRIVATE: bool.optional(),
    /** Suomi.fi e-Identification (SAML 2.0). All optional; the Suomi.fi option shows only when set. */
    SAML_IDP_ENTRY_POINT: z.string().url().optional(),
    /** The IdP's signing certificate, PEM or bare base64 (\n escapes accepted). */
    SAML_IDP_CERT: pemOrBase64('certificate').optional(),
    SAML_SP_ENTITY_ID: z.string().min(1).optional(),
    /** Signs AuthnRequests and decrypts assertions, as Suomi.fi requires. */
    SAML_SP_PRIVATE_KEY: pemOrBase64('private key').optional(),
    SAML_SP_CERT: pemOrBase64('certificate').optional(),
    SAML_CALLBACK_PATH: z.string().regex(/^\/[A-Za-z0-9/_-]*$/, 'must be a path such as /saml/acs').default('/saml/acs'),
    /** capture = store e-mails in the outbox table (embedded default); smtp = send via SMTP_URL. */
    EMAIL_ADAPTER: z.enum(['capture', 'smtp']).default('capture'),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
    EMAIL_FROM: z.string().min(3).default('Aukio <no-reply@aukio.localhost>'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Largest accepted request body in bytes. */
    BODY_LIMIT: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
    /** Failed staff sign-ins per account (and per IP ×4) within LOGIN_WINDOW_MINUTES before 429. */
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    /**
     * Which proxies may tell the client's address in X-Forwarded-For: loopback (default, a
     * proxy on this machine), true (any — only behind a proxy that overwrites the header),
     * false, or comma-separated addresses/CIDRs. Per-IP rate limits depend on it.
     */
    TRUST_PROXY: z
      .string()
      .regex(/^(true|false|[0-9a-fA-F.:/,\s]+|loopback)$/, 'must be true, false, loopback or comma-separated addresses/CIDRs')
      .default('loopback')
      .transform((v): boolean | string[] => (v === 'true' ? true : v === 'false' ? false : v.split(',').map((x) => x.trim()).filter(Boolean))),
    /** Largest PTV catalog document (bytes) accepted by the import API, the console upload and the sync job. */
    CATALOG_IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).max(500 * 1024 * 1024).default(20 * 1024 * 1024),
    /** When the scheduled PTV sync runs for every tenant that has it on (cron, Europe/Helsinki). Default nightly 02:30. */
    PTV_SYNC_CRON: z
      .string()
      .regex(/^\s*\S+(\s+\S+){4}\s*$/, 'must be a cron expression of five fields, e.g. "30 2 * * *"')
      .default('30 2 * * *'),
    /** Seconds the PTV sync waits for the PTV API before giving up on that attempt (it is retried). */
    PTV_SYNC_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(60),
    /** Largest feedback attachment (bytes); images and PDF only. */
    FEEDBACK_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(10 * 1024 * 1024),
    /** Attachments per feedback submission. */
    FEEDBACK_MAX_ATTACHMENTS: z.coerce.number().int().min(0).max(20).default(5),
    /** Feedback submissions per IP address per hour through the web form (Open311 clients are counted per e-mail only). */
    FEEDBACK_RATE_PER_IP_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
    /** Chats started (and messages left) per IP address per 10 minutes. */
    CHAT_START_RATE_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(30),
    /** Feedback submissions per e-mail address per hour (every channel). */
    FEEDBACK_RATE_PER_EMAIL_HOUR: z.coerce.number().int().min(1).max(100_000).default(10),
    /** Links allowed in one feedback description; more is treated as spam. */
    FEEDBACK_MAX_LINKS: z.coerce.number().int().min(0).max(100).default(2),
    /** Largest newsroom image or attachment (bytes): images (JPEG, PNG, WebP, GIF) and PDF. */
    NEWS_MEDIA_MAX_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(15 * 1024 * 1024),
    /** Newsletter sending rate in messages per second (0 = as fast as the SMTP server takes them); a campaign may set a lower one. */
    NEWSLETTER_RATE_PER_SECOND: z.coerce.number().min(0).max(100_000).default(50),
    /** Parallel SMTP connections of a newsletter send. */
    NEWSLETTER_SMTP_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(5),
    /** Newsletter subscribe requests per IP address per hour (the confirmation mails a visitor can cause). */
    NEWSLETTER_SUBSCRIBE_RATE_PER_IP_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
    /** Newsletter subscribe requests per e-mail address per hour. */
    NEWSLETTER_SUBSCRIBE_RATE_PER_EMAIL_HOUR: z.coerce.number().int().min(1).max(100_000).default(5),
    /** Seconds SIGTERM waits for requests and jobs to drain before exiting. */
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(20),
    /**
     * Map tiles for the feedback form's pin and the public feed map ({z}/{x}/{y} template).
     * "none" turns maps off (the address field and the list remain, as they always do).
     * The tile origin is added to the CSP's img-src.
     */
    MAP_TILE_URL: z
      .string()
      .refine((v) => v === 'none' || /^(https?:\/\/|\/)\S+$/.test(v), 'must be an http(s) URL template, a path, or none')
      .default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
    /** The tiles' attribution line (HTML allowed: it is the operator's own setting). */
    MAP_ATTRIBUTION: z.string().max(500).default('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'),
    /**
     * Inbound e-mail (the inbox's e-mail channel). An SMTP listener on this port accepts mail
     * for the teams' addresses (inbox_teams.email_address) and nothing else. Unset = off;
     * 0 = a free port (tests). Usually behind the organisation's mail relay on loopback.
     */
    INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    INBOUND_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
    /** Largest inbound message in bytes (SMTP SIZE; larger IMAP messages are skipped). */
    INBOUND_MAX_BYTES: z.coerce.number().int().min(10 * 1024).max(100 * 1024 * 1024).default(15 * 1024 * 1024),
    /** When both are set the listener requires SMTP AUTH (PLAIN/LOGIN) with these; otherwise AUTH is off. */
    INBOUND_SMTP_USER: z.string().min(1).optional(),
    INBOUND_SMTP_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
    /** Certificate and key (PEM or base64) that make the listener offer STARTTLS. */
    INBOUND_SMTP_TLS_CERT: pemOrBase64('certificate').optional(),
    INBOUND_SMTP_TLS_KEY: pemOrBase64('private key').optional(),
    /** imaps://user:password@host:993/INBOX — poll this mailbox for unread mail. Unset = off. */
    IMAP_URL: z
      .string()
      .regex(/^imaps?:\/\/[^/@\s]+(:[^@\s]*)?@[^/\s]+(\/\S*)?$/, 'must look like imaps://user:password@host:993/INBOX')
      .optional(),
    IMAP_POLL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
    /**
     * Replies to residents: by default From is EMAIL_FROM's address under the team's name and
     * Reply-To is the team's address (relays refuse foreign senders). true = From is the
     * team's address itself, for relays allowed to send for the teams' domains (SPF/DKIM).
     */
    INBOX_FROM_TEAM_ADDRESS: bool.default(false),
  })
  .superRefine((c, ctx) => {
    if (c.EMAIL_ADAPTER === 'smtp' && !c.SMTP_URL) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required when EMAIL_ADAPTER=smtp' });
    }
    for (const pair of [['INBOUND_SMTP_USER', 'INBOUND_SMTP_PASSWORD'], ['INBOUND_SMTP_TLS_CERT', 'INBOUND_SMTP_TLS_KEY']] as const) {
      // Half a pair would silently leave the listener open or without TLS.
      if ((c[pair[0]] === undefined) !== (c[pair[1]] === undefined)) {
        const missing = c[pair[0]] === undefined ? pair[0] : pair[1];
        ctx.addIssue({ code: 'custom', path: [missing], message: `is required with ${pair[0] === missing ? pair[1] : pair[0]}` });
      }
    }
    const saml = ['SAML_IDP_ENTRY_POINT', 'SAML_IDP_CERT', 'SAML_SP_ENTITY_ID', 'SAML_SP_PRIVATE_KEY', 'SAML_SP_CERT'] as const;
    if (saml.some((k) => c[k] !== undefined)) {
      // Half a SAML configuration would show a Suomi.fi button that cannot work.
      for (const k of saml) {
        if (c[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: `is required when any SAML_ variable is set (${saml.join(', ')})` });
      }
    }
    if (c.NODE_ENV === 'production' && !c.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required when NODE_ENV=production' });
    }
  });

export type Config = Omit<z.output<typeof schema>, 'COOKIE_SECURE' | 'SEED_DEMO' | 'DEV_IDP' | 'SESSION_SECRET' | 'OUTBOUND_ALLOW_PRIVATE'> & {
  COOKIE_SECURE: boolean;
  OUTBOUND_ALLOW_PRIVATE: boolean;
  SEED_DEMO: boolean;
  DEV_IDP: boolean;
  SESSION_SECRET: string;
};

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError whose message is one clear line. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "not set", as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'config');
    const value = cleaned[name];
    throw new ConfigError(
      `Invalid configuration: ${name}${value !== undefined && !/SECRET|PASSWORD|URL|KEY|CERT/.test(name) ? `=${JSON.stringify(value)}` : ''} ${issue.message}`,
    );
  }
  const c = parsed.data;
  const production = c.NODE_ENV === 'production';
  return {
    ...c,
    COOKIE_SECURE: c.COOKIE_SECURE ?? production,
    SEED_DEMO: c.SEED_DEMO ?? !production,
    DEV_IDP: c.DEV_IDP ?? !production,
    OUTBOUND_ALLOW_PRIVATE: c.OUTBOUND_ALLOW_PRIVATE ?? !production,
    // Outside production a fixed development secret keeps sessions valid across restarts.
    SESSION_SECRET: c.SESSION_SECRET ?? 'aukio-development-secret-not-for-production-use',
  };
}
