import { generateKeyPairSync } from 'node:crypto';
import { generate as selfSigned } from 'selfsigned';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../platform/config.ts';
import { decodeRelay, encodeRelay } from './identity.ts';
import { personFromProfile } from './saml.ts';

async function certAndKey() {
  const kp = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const r = await selfSigned([{ name: 'commonName', value: 'test' }], { keyPair: { privateKey: kp.privateKey, publicKey: kp.publicKey } });
  return { cert: r.cert, key: kp.privateKey };
}

describe('SAML configuration', () => {
  it('is optional: without SAML_* Suomi.fi is simply off', () => {
    const c = loadConfig({});
    expect(c.SAML_IDP_ENTRY_POINT).toBeUndefined();
    expect(c.SAML_CALLBACK_PATH).toBe('/saml/acs');
  });

  it('accepts PEM, PEM with \\n escapes and bare base64, normalised to PEM', async () => {
    const { cert, key } = await certAndKey();
    const bare = cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const c = loadConfig({
      SAML_IDP_ENTRY_POINT: 'https://idp.example/sso',
      SAML_IDP_CERT: bare,
      SAML_SP_ENTITY_ID: 'https://sp.example',
      SAML_SP_PRIVATE_KEY: key.replace(/\n/g, '\\n'),
      SAML_SP_CERT: cert,
    });
    expect(c.SAML_IDP_CERT).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(c.SAML_SP_PRIVATE_KEY).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('stops with one clear line on half a configuration or a broken certificate, never echoing it', async () => {
    expect(() => loadConfig({ SAML_IDP_ENTRY_POINT: 'https://idp.example/sso' })).toThrow(ConfigError);
    expect(() => loadConfig({ SAML_IDP_ENTRY_POINT: 'https://idp.example/sso' })).toThrow(/SAML_IDP_CERT is required when any SAML_ variable is set/);
    try {
      loadConfig({ SAML_IDP_CERT: 'bm90IGEgY2VydA==' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe('Invalid configuration: SAML_IDP_CERT is not a valid certificate (PEM or base64)');
    }
    expect(() => loadConfig({ SAML_CALLBACK_PATH: 'acs' })).toThrow(/SAML_CALLBACK_PATH="acs" must be a path/);
  });
});

describe('Suomi.fi attributes and RelayState', () => {
  it('maps nationalIdentificationNumber, givenName or displayName, and sn', () => {
    const base = { issuer: 'x', nameID: 'n', nameIDFormat: 'f' };
    expect(personFromProfile({ ...base, 'urn:oid:1.2.246.21': '010280-952l', 'urn:oid:2.5.4.42': 'Sanna Maria', 'urn:oid:2.5.4.4': 'Testinen' })).toEqual({
      nationalId: '010280-952L',
      givenName: 'Sanna Maria',
      familyName: 'Testinen',
    });
    expect(
      personFromProfile({ ...base, 'urn:oid:1.2.246.21': '010280-952L', 'urn:oid:2.16.840.1.113730.3.1.241': 'Sanna Testinen', 'urn:oid:2.5.4.4': 'Testinen' }),
    ).toEqual({ nationalId: '010280-952L', givenName: 'Sanna', familyName: 'Testinen' });
    expect(() => personFromProfile({ ...base, 'urn:oid:2.5.4.4': 'Testinen' })).toThrow(/no nationalIdentificationNumber/);
  });

  it('keeps RelayState within 80 bytes by dropping a long next', () => {
    expect(decodeRelay(encodeRelay({ lang: 'sv', next: '/sv/my' }))).toEqual({ lang: 'sv', next: '/sv/my' });
    const long = encodeRelay({ lang: 'fi', next: '/fi/' + 'x'.repeat(100) });
    expect(long.length).toBeLessThanOrEqual(80);
    expect(decodeRelay(long)).toEqual({ lang: 'fi', next: undefined });
  });
});
