import { SAML, ValidateInResponseTo, type CacheProvider, type Profile, type SamlConfig } from '@node-saml/node-saml';
import {
  decodeRelay,
  encodeRelay,
  IdentificationError,
  type CompleteInput,
  type CompleteResult,
  type RequestIdStore,
  type StartInput,
  type StrongIdentityAdapter,
} from './identity.ts';

export interface SamlSettings {
  idpEntryPoint: string;
  /** PEM */
  idpCert: string;
  spEntityId: string;
  /** PEM; signs AuthnRequests and decrypts encrypted assertions. */
  spPrivateKey: string;
  /** PEM; published in the metadata for both signing and encryption. */
  spCert: string;
  callbackPath: string;
}

/** Suomi.fi e-Identification attribute names (OIDs), from its attribute catalogue. */
export const SUOMIFI_ATTRIBUTES = {
  nationalIdentificationNumber: 'urn:oid:1.2.246.21',
  givenName: 'urn:oid:2.5.4.42',
  displayName: 'urn:oid:2.16.840.1.113730.3.1.241',
  sn: 'urn:oid:2.5.4.4',
} as const;

/** Levels of assurance Suomi.fi asserts: substantial (loa2) and high (loa3). */
const SUOMIFI_LOA = ['http://ftn.ficora.fi/2017/loa3', 'http://ftn.ficora.fi/2017/loa2'];

/**
 * SAML 2.0 service provider for Suomi.fi e-Identification, on @node-saml/node-saml.
 * AuthnRequests go by HTTP-Redirect, signed with the SP key; responses come back by
 * HTTP-POST to the ACS of the tenant's own host. The assertion must be signed by the IdP
 * (encrypted or not); its InResponseTo must name a request we issued and have not yet
 * seen answered, which refuses unsolicited and replayed responses.
 */
export class SamlIdentityAdapter implements StrongIdentityAdapter {
  readonly method = 'suomifi' as const;

  constructor(readonly settings: SamlSettings) {}

  callbackUrl(origin: string) {
    return origin + this.settings.callbackPath;
  }

  private saml(origin: string, cache: CacheProvider): SAML {
    const s = this.settings;
    const config: SamlConfig = {
      entryPoint: s.idpEntryPoint,
      issuer: s.spEntityId,
      audience: s.spEntityId,
      callbackUrl: this.callbackUrl(origin),
      idpCert: s.idpCert,
      privateKey: s.spPrivateKey,
      publicCert: s.spCert,
      decryptionPvk: s.spPrivateKey,
      signatureAlgorithm: 'sha256',
      digestAlgorithm: 'sha256',
      identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
      authnContext: SUOMIFI_LOA,
      racComparison: 'exact',
      // The assertion carries the identity, so its signature is what must hold; Suomi.fi
      // may sign the Response too, which node-saml then also verifies.
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: 30 * 60 * 1000,
      acceptedClockSkewMs: 60 * 1000,
      cacheProvider: cache,
    };
    return new SAML(config);
  }

  async start({ origin, relay, store }: StartInput) {
    const cache = new StoreCache(store);
    const url = await this.saml(origin, cache).getAuthorizeUrlAsync(encodeRelay(relay), undefined, {});
    return { redirectUrl: url };
  }

  async complete({ origin, form, store }: CompleteInput): Promise<CompleteResult> {
    const response = form.SAMLResponse;
    if (typeof response !== 'string' || !response || response.length > 500_000) {
      throw new IdentificationError('saml: no SAMLResponse');
    }
    const cache = new StoreCache(store);
    let profile: Profile | null;
    try {
      ({ profile } = await this.saml(origin, cache).validatePostResponseAsync({ SAMLResponse: response }));
    } catch (e) {
      // node-saml's messages name the check that failed, never the person.
      throw new IdentificationError(`saml: ${(e as Error).message}`.slice(0, 300));
    }
    if (!profile) throw new IdentificationError('saml: no assertion');
    const requestId = typeof profile.inResponseTo === 'string' ? profile.inResponseTo : null;
    if (!requestId) throw new IdentificationError('saml: unsolicited response');
    // node-saml consumes the id on most paths; where it does not, do it here. Only one
    // of two concurrent posts of the same response can flip it.
    if (!cache.consumed.has(requestId) && !(await store.consume(requestId))) {
      throw new IdentificationError('saml: response already used');
    }
    return { person: personFromProfile(profile), relay: decodeRelay(form.RelayState), requestId };
  }

  /** SP metadata for registering this installation with Suomi.fi. */
  metadata(origin: string): string {
    const saml = this.saml(origin, new StoreCache(NO_STORE));
    return saml.generateServiceProviderMetadata(this.settings.spCert, this.settings.spCert);
  }
}

function attr(profile: Profile, name: string): string | null {
  const v = profile[name] ?? (profile.attributes as Record<string, unknown> | undefined)?.[name];
  const one = Array.isArray(v) ? v[0] : v;
  return typeof one === 'string' && one.trim() ? one.trim() : null;
}

export function personFromProfile(profile: Profile) {
  const nationalId = attr(profile, SUOMIFI_ATTRIBUTES.nationalIdentificationNumber)?.toUpperCase();
  // Persons identified without a Finnish code (e.g. eIDAS) are not supported yet.
  if (!nationalId) throw new IdentificationError('saml: assertion has no nationalIdentificationNumber');
  const familyName = attr(profile, SUOMIFI_ATTRIBUTES.sn) ?? '';
  let givenName = attr(profile, SUOMIFI_ATTRIBUTES.givenName);
  if (!givenName) {
    const display = attr(profile, SUOMIFI_ATTRIBUTES.displayName) ?? '';
    givenName = familyName && display.endsWith(familyName) ? display.slice(0, -familyName.length).trim() : display;
  }
  return { nationalId, givenName, familyName };
}

/** node-saml's cache interface over our tenant-scoped request store. */
class StoreCache implements CacheProvider {
  readonly consumed = new Set<string>();
  constructor(private store: RequestIdStore) {}

  async saveAsync(key: string, value: string) {
    await this.store.save(key, value);
    return { value, createdAt: Date.now() };
  }

  async getAsync(key: string) {
    return this.store.get(key);
  }

  async removeAsync(key: string | null) {
    if (!key) return null;
    if (await this.store.consume(key)) this.consumed.add(key);
    return key;
  }
}

const NO_STORE: RequestIdStore = {
  save: async () => {},
  get: async () => null,
  consume: async () => false,
};
