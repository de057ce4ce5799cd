/**
 * Strong identification of residents (Suomi.fi e-Identification and its stand-ins).
 * A flow has two legs: start() gives the URL the browser goes to; the provider later
 * sends the browser back and complete() turns what it brought into a verified person.
 * Implementations: saml.ts (Suomi.fi, SAML 2.0) and dev.ts (built-in test provider).
 */
export interface VerifiedPerson {
  /** Finnish personal identity code (henkilötunnus). Never logged, never shown in full. */
  nationalId: string;
  givenName: string;
  familyName: string;
}

/** Where to go after sign-in; carried through the provider (SAML RelayState). */
export interface Relay {
  lang: string;
  next: string;
}

/**
 * Remembers the ids of requests we sent, so a response is accepted only once and only
 * for a request this installation made (SAML InResponseTo). The identity module backs it
 * with the one_time_tokens table, scoped to the tenant.
 */
export interface RequestIdStore {
  save(requestId: string, issuedAt: string): Promise<void>;
  /** The issue instant of a live, unused request; null when unknown, used or expired. */
  get(requestId: string): Promise<string | null>;
  /** Marks the request used; true only for the one caller that flipped it. */
  consume(requestId: string): Promise<boolean>;
}

export interface StartInput {
  /** Absolute origin of the tenant's site, e.g. https://esimerkkila.fi. */
  origin: string;
  relay: Relay;
  store: RequestIdStore;
}

export interface CompleteInput {
  origin: string;
  /** The fields the provider posted back (SAMLResponse, RelayState, …). */
  form: Record<string, string>;
  store: RequestIdStore;
}

export interface CompleteResult {
  person: VerifiedPerson;
  /** As sent back by the provider: unvalidated, the caller checks lang and next. */
  relay: Partial<Relay> | null;
  /** The request this answers (SAML InResponseTo), already consumed in the store. */
  requestId?: string;
}

export type StrongMethod = 'suomifi' | 'dev_idp';

export interface StrongIdentityAdapter {
  readonly method: StrongMethod;
  start(input: StartInput): Promise<{ redirectUrl: string }>;
  complete(input: CompleteInput): Promise<CompleteResult>;
}

/**
 * A response that must not sign anyone in: bad signature, replay, wrong audience,
 * missing attributes. `reason` is for operators' logs and carries no personal data.
 */
export class IdentificationError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'IdentificationError';
  }
}

/** RelayState is at most 80 bytes (SAML bindings §3.4.3); a longer `next` is dropped. */
export function encodeRelay(relay: Relay): string {
  const full = new URLSearchParams({ lang: relay.lang, next: relay.next }).toString();
  return full.length <= 80 ? full : new URLSearchParams({ lang: relay.lang }).toString();
}

export function decodeRelay(value: string | undefined): Partial<Relay> | null {
  if (!value || value.length > 200) return null;
  const p = new URLSearchParams(value);
  return { lang: p.get('lang') ?? undefined, next: p.get('next') ?? undefined };
}

/** Cookie that ties a SAML response to the browser that started the request (HTTPS only). */
export const SAML_BROWSER_COOKIE = 'aukio_saml';
