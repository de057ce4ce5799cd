import type { Actor } from '../modules/identity/actor.ts';
import type { Tenant } from '../modules/tenancy/tenants.ts';
import type { Lang } from '../platform/i18n.ts';
import type { Services } from './services.ts';

/**
 * What the server knows about a request before any route runs. Fastify handlers read it
 * from request.aukio; React Router loaders and actions receive it as their `context`.
 */
export interface RequestContext {
  services: Services;
  tenant: Tenant;
  actor: Actor;
  /** valid: signed in; expired: a session cookie came but the session had expired; none. */
  sessionStatus: 'valid' | 'expired' | 'none';
  /** A staff session that passed the password but has not yet given its TOTP code. */
  pendingSecondFactor: boolean;
  /** Language of the API caller (?lang, Accept-Language, tenant default); pages use the URL's. */
  lang: Lang;
  /** Per-response CSP nonce for inline scripts and styles. */
  nonce: string;
  /** Token every state-changing form and cookie-authenticated API call must echo. */
  csrfToken: string;
  ip: string;
  /** Absolute origin of this request, e.g. http://esimerkkila.localhost:3000. */
  origin: string;
  cookies: {
    /** Set-Cookie value that signs this browser in with the session token. */
    session(token: string): string;
    /** Set-Cookie value that signs this browser out. */
    clearSession(): string;
  };
}

declare module 'react-router' {
  interface AppLoadContext extends RequestContext {}
}

declare module 'fastify' {
  interface FastifyRequest {
    aukio: RequestContext;
  }
}
