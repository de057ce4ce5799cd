import { createVerify, generateKeyPairSync } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { generate as selfSigned } from 'selfsigned';
import { SignedXml } from 'xml-crypto';
import { encrypt as xmlEncrypt } from 'xml-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { engines } from '../helpers/engines.ts';

/** A browser of one tenant host: keeps cookies, finds the CSRF token, posts forms. */
function browser(app: TestApp, host: string, extraHeaders: Record<string, string> = {}) {
  const jar = new Map<string, string>();
  const f = hostFetch(app, host);
  const request = async (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const r = await f(path, { ...init, headers: { ...extraHeaders, ...(cookie ? { cookie } : {}), ...(init.headers ?? {}) } });
    for (const sc of r.headers.getSetCookie()) {
      const [kv] = sc.split(';');
      const i = kv.indexOf('=');
      const name = kv.slice(0, i);
      const value = kv.slice(i + 1);
      if (!value || /max-age=0/i.test(sc)) jar.delete(name);
      else jar.set(name, value);
    }
    return r;
  };
  const page = async (path: string) => {
    const r = await request(path);
    const html = await r.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    return { r, html, csrf };
  };
  const post = (path: string, fields: Record<string, string>) =>
    request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  /** GETs `formPage` for a CSRF token, then posts the fields to `action` (default: the same page). */
  const submit = async (formPage: string, fields: Record<string, string>, action = formPage) => {
    const { csrf } = await page(formPage);
    expect(csrf).not.toBe('');
    return post(action, { _csrf: csrf, ...fields });
  };
  return { jar, request, page, post, submit };
}

async function tenantId(app: TestApp, host: string) {
  const r = await app.services.db.query<{ tenant_id: string }>('select tenant_id from tenant_hosts where hostname = $1', [host]);
  return r.rows[0].tenant_id;
}

/** The code from the newest captured e-mail to the address (the job worker stores it). */
async function mailedCode(app: TestApp, to: string, after = 0): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const r = await app.services.db.query<{ body_text: string; n: number }>(
      `select body_text, (select count(*)::int from outbox_messages where recipient = $1) as n
       from outbox_messages where recipient = $1 order by created_at desc limit 1`,
      [to],
    );
    if (r.rows[0] && r.rows[0].n > after) return /\b(\d{6})\b/.exec(r.rows[0].body_text)![1];
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`no code mailed to ${to}`);
}

async function auditActions(app: TestApp, action: string) {
  const r = await app.services.db.query<{ details: Record<string, unknown>; target_id: string; actor_kind: string }>(
    `select details, target_id, actor_kind from audit_log where action = $1 order by id`,
    [action],
  );
  return r.rows;
}

// ---------------------------------------------------------------------------------------
// A SAML identity provider, made in the test exactly as Suomi.fi would answer.

interface Keys {
  key: string;
  cert: string;
  publicKey: string;
}

async function keyPairWithCert(cn: string): Promise<Keys> {
  const kp = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const r = await selfSigned([{ name: 'commonName', value: cn }], {
    keyPair: { privateKey: kp.privateKey, publicKey: kp.publicKey },
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 86400_000),
  });
  return { key: kp.privateKey, cert: r.cert, publicKey: kp.publicKey };
}

const IDP_ENTRY = 'https://idp.test/idp/profile/SAML2/Redirect/SSO';
const IDP_ISSUER = 'https://idp.test/idp';
const SP_ENTITY = 'https://aukio.test/saml/sp';
const ACS = `http://${HOST_A}/saml/acs`;

const iso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

function attribute(oid: string, friendly: string, value: string) {
  return `<saml2:Attribute FriendlyName="${friendly}" Name="${oid}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml2:AttributeValue>${value}</saml2:AttributeValue></saml2:Attribute>`;
}

function assertionXml(requestId: string, person: { hetu: string; given?: string; display?: string; sn: string }) {
  const attrs = [
    attribute('urn:oid:1.2.246.21', 'nationalIdentificationNumber', person.hetu),
    person.given ? attribute('urn:oid:2.5.4.42', 'givenName', person.given) : '',
    person.display ? attribute('urn:oid:2.16.840.1.113730.3.1.241', 'displayName', person.display) : '',
    attribute('urn:oid:2.5.4.4', 'sn', person.sn),
  ].join('');
  return (
    `<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a${Math.random().toString(36).slice(2)}" IssueInstant="${iso()}" Version="2.0">` +
    `<saml2:Issuer>${IDP_ISSUER}</saml2:Issuer>` +
    `<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">AAdzZWNyZXQxrandom</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData InResponseTo="${requestId}" NotOnOrAfter="${iso(5 * 60_000)}" Recipient="${ACS}"/></saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions NotBefore="${iso(-60_000)}" NotOnOrAfter="${iso(5 * 60_000)}"><saml2:AudienceRestriction><saml2:Audience>${SP_ENTITY}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>` +
    `<saml2:AuthnStatement AuthnInstant="${iso()}" SessionIndex="_s1"><saml2:AuthnContext><saml2:AuthnContextClassRef>http://ftn.ficora.fi/2017/loa2</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>` +
    `<saml2:AttributeStatement>${attrs}</saml2:AttributeStatement>` +
    `</saml2:Assertion>`
  );
}

function signAssertion(xml: string, idp: Keys): string {
  const sig = new SignedXml({
    privateKey: idp.key,
    publicCert: idp.cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, { location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
  return sig.getSignedXml();
}

function encryptAssertion(signedAssertion: string, sp: Keys): Promise<string> {
  return new Promise((resolve, reject) =>
    xmlEncrypt(
      signedAssertion,
      {
        rsa_pub: sp.publicKey,
        pem: sp.cert,
        encryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
        keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
        disallowEncryptionWithInsecureAlgorithm: true,
      },
      (err, result) =>
        err ? reject(err) : resolve(`<saml2:EncryptedAssertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">${result}</saml2:EncryptedAssertion>`),
    ),
  );
}

function responseXml(requestId: string, assertion: string) {
  return (
    `<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" Destination="${ACS}" ID="_r${Math.random().toString(36).slice(2)}" InResponseTo="${requestId}" IssueInstant="${iso()}" Version="2.0">` +
    `<saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">${IDP_ISSUER}</saml2:Issuer>` +
    `<saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status>` +
    assertion +
    `</saml2p:Response>`
  );
}

const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`resident sign-in on ${engine.name}`, () => {
    let app: TestApp;
    let idp: Keys;
    let sp: Keys;

    beforeAll(async () => {
      [idp, sp] = await Promise.all([keyPairWithCert('idp.test'), keyPairWithCert('aukio.test')]);
      app = await startTestApp(engine.name, {
        env: {
          // As in production (HTTPS): SAML responses must come back to the browser that started.
          COOKIE_SECURE: 'true',
          SAML_IDP_ENTRY_POINT: IDP_ENTRY,
          SAML_IDP_CERT: idp.cert,
          SAML_SP_ENTITY_ID: SP_ENTITY,
          SAML_SP_PRIVATE_KEY: sp.key,
          // Bare base64 is accepted too, as IdP metadata gives certificates.
          SAML_SP_CERT: sp.cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''),
        },
      });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('offers Suomi.fi, the labelled test IdP and the e-mail code on the sign-in page', async () => {
      const { r, html } = await browser(app, HOST_A).page('/fi/sign-in?next=%2Ffi%2Fmy');
      expect(r.status).toBe(200);
      expect(html).toContain('href="/fi/sign-in/suomifi?next=%2Ffi%2Fmy"');
      expect(html).toContain('href="/fi/dev-idp?next=%2Ffi%2Fmy"');
      expect(html).toContain('href="/fi/sign-in/email?next=%2Ffi%2Fmy"');
      expect(html).toContain('Testitunnistus');
      const sv = await (await hostFetch(app, HOST_A)('/sv/sign-in')).text();
      expect(sv).toContain('Logga in på Mitt Aukio');
    });

    it('signs in a strong resident through the development IdP (CSRF required)', async () => {
      const b = browser(app, HOST_A);
      const { r, html, csrf } = await b.page('/fi/dev-idp?next=%2Ffi%2Fmy');
      expect(r.status).toBe(200);
      expect(html).toContain('Tämä on testikirjautuminen');
      expect(html).toContain('010280-952L');

      const noCsrf = await b.post('/fi/dev-idp', { person: '010280-952L', next: '/fi/my' });
      expect(noCsrf.status).toBe(403);
      expect(b.jar.has('aukio_session')).toBe(false);

      const ok = await b.post('/fi/dev-idp', { _csrf: csrf, person: '010280-952L', next: '/fi/my' });
      expect(ok.status).toBe(302);
      expect(ok.headers.get('location')).toBe('/fi/my');
      expect(b.jar.has('aukio_session')).toBe(true);

      const my = await b.page('/fi/my');
      expect(my.r.status).toBe(200);
      expect(my.html).toContain('Sanna Testinen');
      expect(my.html).toContain('010280-***L');
      expect(my.html).not.toContain('010280-952L');
      expect(my.html).toContain('Vahva (Suomi.fi)');

      const audit = await auditActions(app, 'resident.sign_in');
      expect(audit.some((a) => a.details.method === 'dev_idp' && a.details.assurance === 'strong' && a.actor_kind === 'resident')).toBe(true);
      expect(JSON.stringify(audit)).not.toContain('952L');

      // Signing in again finds the same resident.
      await b.submit('/fi/dev-idp', { person: '010280-952L', next: '/fi/my' });
      const count = await app.services.db.query<{ n: number }>(`select count(*)::int as n from residents where national_id = '010280-952L'`);
      expect(count.rows[0].n).toBe(1);
    });

    it('refuses an unknown test person with a 4xx page', async () => {
      const b = browser(app, HOST_A);
      const r = await b.submit('/fi/dev-idp', { person: '010101-0101', next: '/fi/my' });
      expect(r.status).toBe(400);
      expect(b.jar.has('aukio_session')).toBe(false);
      expect(await r.text()).toContain('Tunnistautuminen epäonnistui');
    });

    it('never follows an off-site next', async () => {
      const b = browser(app, HOST_A);
      const r = await b.submit('/fi/dev-idp', { person: '081181-9984', next: '//evil.example/x' });
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toBe('/fi/my');
    });

    it('redirects My Aukio to sign-in when signed out', async () => {
      const r = await hostFetch(app, HOST_A)('/fi/my');
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toBe('/fi/sign-in?next=%2Ffi%2Fmy');
    });

    it('lets a strong resident set a contact e-mail and language, validated and audited', async () => {
      const b = browser(app, HOST_A);
      await b.submit('/fi/dev-idp', { person: '210281-9988', next: '/fi/my' });
      const bad = await b.submit('/fi/my', { email: 'not-an-address', preferredLanguage: 'sv' });
      expect(bad.status).toBe(400);
      const badHtml = await bad.text();
      expect(badHtml).toContain('aria-describedby="email-hint email-error"');
      const ok = await b.submit('/fi/my', { email: 'Nordea.Demo@Example.fi', preferredLanguage: 'sv' });
      expect(ok.status).toBe(200);
      const html = await ok.text();
      expect(html).toContain('Tiedot tallennettu.');
      expect(html).toContain('nordea.demo@example.fi');
      expect(html).toContain('<span lang="sv">svenska</span>');
      const audit = await auditActions(app, 'resident.update_contact');
      expect(audit.at(-1)?.details).toEqual({ fields: ['email', 'preferred_language'] });
    });

    it('signs out with a POST and audits it', async () => {
      const b = browser(app, HOST_A);
      await b.submit('/fi/dev-idp', { person: '081181-9984', next: '/fi/my' });
      const { csrf } = await b.page('/fi/my');
      const before = (await auditActions(app, 'resident.sign_out')).length;
      const r = await b.post('/fi/sign-out', { _csrf: csrf });
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toBe('/fi');
      expect(b.jar.has('aukio_session')).toBe(false);
      expect((await auditActions(app, 'resident.sign_out')).length).toBe(before + 1);
      expect((await b.request('/fi/my')).status).toBe(302);
    });

    it('signs out through POST /api/v1/auth/sign-out and audits it like the page', async () => {
      const b = browser(app, HOST_A);
      await b.submit('/fi/dev-idp', { person: '081181-9984', next: '/fi/my' });
      const token = b.jar.get('aukio_session')!;
      const { csrf } = await b.page('/fi/my');
      const before = await auditActions(app, 'resident.sign_out');
      const r = await b.request('/api/v1/auth/sign-out', { method: 'POST', headers: { 'x-csrf-token': csrf } });
      expect(r.status).toBe(204);
      expect(b.jar.has('aukio_session')).toBe(false);
      const after = await auditActions(app, 'resident.sign_out');
      expect(after.length).toBe(before.length + 1);
      const row = await app.services.db.query<{ actor_kind: string; target_kind: string; target_id: string }>(
        `select actor_kind, target_kind, target_id from audit_log where action = 'resident.sign_out' order by id desc limit 1`,
      );
      expect(row.rows[0]).toMatchObject({ actor_kind: 'resident', target_kind: 'resident' });
      // The session is really gone, not just the cookie.
      expect((await hostFetch(app, HOST_A)('/fi/my', { headers: { cookie: `aukio_session=${token}` } })).status).toBe(302);
    });

    it("does not accept tenant A's resident session on tenant B's host", async () => {
      const a = browser(app, HOST_A);
      await a.submit('/fi/dev-idp', { person: '311299-999E', next: '/fi/my' });
      const token = a.jar.get('aukio_session')!;
      expect((await a.request('/fi/my')).status).toBe(200);
      const onB = await hostFetch(app, HOST_B)('/fi/my', { headers: { cookie: `aukio_session=${token}` } });
      expect(onB.status).toBe(302);
      expect(onB.headers.get('location')).toContain('/fi/sign-in');
      const rows = await app.services.db.query(`select 1 from residents where tenant_id = $1`, [await tenantId(app, HOST_B)]);
      expect(rows.rowCount).toBe(0);
    });

    it('keeps personal identity codes and addresses out of application logs', async () => {
      const log = app.services.log as unknown as Record<string, unknown>;
      const calls: unknown[] = [];
      const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
      const saved = levels.map((l) => [l, Object.getOwnPropertyDescriptor(log, l)] as const);
      for (const l of levels) log[l] = (...args: unknown[]) => void calls.push([l, ...args]);
      try {
        const b = browser(app, HOST_A);
        await b.submit('/fi/dev-idp', { person: '210281-9988', next: '/fi/my' });
        await b.submit('/fi/dev-idp', { person: '210281-9989', next: '/fi/my' }); // fails its check
        await b.submit('/fi/sign-in/email', { email: 'loki.testi@example.fi', next: '/fi/my' });
        const ids = await b.request('/fi/sign-in/suomifi');
        const id = /\bID="([^"]+)"/.exec(
          inflateRawSync(Buffer.from(new URL(ids.headers.get('location')!).searchParams.get('SAMLRequest')!, 'base64')).toString('utf8'),
        )![1];
        await b.post('/saml/acs', { SAMLResponse: b64(responseXml(id, assertionXml(id, { hetu: '081181-9984', given: 'M', sn: 'M' }))) });
      } finally {
        for (const [l, d] of saved) {
          if (d) Object.defineProperty(log, l, d);
          else delete log[l];
        }
      }
      const text = JSON.stringify(calls);
      expect(calls.some((c) => JSON.stringify(c).includes('resident signed in'))).toBe(true);
      expect(calls.some((c) => JSON.stringify(c).includes('resident identification refused'))).toBe(true);
      for (const secret of ['210281-998', '081181-998', 'loki.testi@example.fi']) expect(text).not.toContain(secret);
    });

    describe('e-mail code', () => {
      it('signs in a weak resident with the mailed code and finds them again next time', async () => {
        const b = browser(app, HOST_A);
        const email = `asukas.${engine.name}@example.fi`;
        const req = await b.submit('/fi/sign-in/email?next=%2Ffi%2Fmy', { email, next: '/fi/my' });
        expect(req.status).toBe(302);
        const verifyUrl = req.headers.get('location')!;
        expect(verifyUrl).toMatch(/^\/fi\/sign-in\/email\/verify\?c=[0-9a-f-]{36}&next=%2Ffi%2Fmy$/);
        expect(verifyUrl).not.toContain('example');

        const code = await mailedCode(app, email);
        const stored = await app.services.db.query<{ token_hash: string }>(
          `select token_hash from one_time_tokens where purpose = 'email_code' and subject = $1`,
          [email],
        );
        expect(stored.rows[0].token_hash).not.toContain(code);

        const verify = await b.page(verifyUrl);
        expect(verify.html).toContain(email);
        const c = new URL(verifyUrl, 'http://x').searchParams.get('c')!;
        const wrong = await b.post(verifyUrl, { _csrf: verify.csrf, c, code: code === '000000' ? '111111' : '000000', next: '/fi/my' });
        expect(wrong.status).toBe(400);
        expect(await wrong.text()).toContain('aria-describedby="code-error"');

        const ok = await b.post(verifyUrl, { _csrf: verify.csrf, c, code, next: '/fi/my' });
        expect(ok.status).toBe(302);
        expect(ok.headers.get('location')).toBe('/fi/my');
        const my = await b.page('/fi/my');
        expect(my.html).toContain('Kevyt (sähköpostikoodi)');
        expect(my.html).toContain(email);

        // A used code does not work twice.
        const again = await b.post(verifyUrl, { _csrf: my.csrf, c, code, next: '/fi/my' });
        expect(again.status).toBe(400);

        // The same address (in another case) is the same weak resident.
        const b2 = browser(app, HOST_A);
        const req2 = await b2.submit('/en/sign-in/email', { email: email.toUpperCase(), next: '/en/my' });
        const code2 = await mailedCode(app, email, 1);
        const url2 = req2.headers.get('location')!;
        const v2 = await b2.page(url2);
        expect(v2.html).toContain('We sent the code');
        const ok2 = await b2.post(url2, { _csrf: v2.csrf, c: new URL(url2, 'http://x').searchParams.get('c')!, code: code2, next: '/en/my' });
        expect(ok2.status).toBe(302);
        const n = await app.services.db.query<{ n: number }>(`select count(*)::int as n from residents where lower(email) = $1`, [email]);
        expect(n.rows[0].n).toBe(1);
        const audit = await auditActions(app, 'resident.sign_in');
        expect(audit.filter((a) => a.details.method === 'email_code' && a.details.assurance === 'weak').length).toBeGreaterThanOrEqual(2);
      });

      it('refuses a bad address with a field error', async () => {
        const b = browser(app, HOST_A);
        const r = await b.submit('/fi/sign-in/email', { email: 'ei-osoite', next: '/fi/my' });
        expect(r.status).toBe(400);
        const html = await r.text();
        expect(html).toContain('aria-describedby="email-error"');
        expect(html).toContain('nimi@esimerkki.fi');
      });

      it('kills a code after 5 wrong attempts', async () => {
        const b = browser(app, HOST_A);
        const email = `arvaaja.${engine.name}@example.fi`;
        const req = await b.submit('/fi/sign-in/email', { email, next: '/fi/my' });
        const url = req.headers.get('location')!;
        const c = new URL(url, 'http://x').searchParams.get('c')!;
        const code = await mailedCode(app, email);
        const wrongCode = code === '123456' ? '654321' : '123456';
        const { csrf } = await b.page(url);
        for (let i = 0; i < 5; i++) {
          const r = await b.post(url, { _csrf: csrf, c, code: wrongCode, next: '/fi/my' });
          expect(r.status).toBe(400);
        }
        const right = await b.post(url, { _csrf: csrf, c, code, next: '/fi/my' });
        expect(right.status).toBe(400);
        expect(b.jar.has('aukio_session')).toBe(false);
        const html = await right.text();
        expect(html).toContain('Koodi on vanhentunut tai sitä on yritetty liian monta kertaa.');
      });

      it('limits codes per address and per IP address with 429 and Retry-After', async () => {
        const b = browser(app, HOST_A, { 'x-forwarded-for': '198.51.100.10' });
        const email = `kiireinen.${engine.name}@example.fi`;
        for (let i = 0; i < 5; i++) {
          expect((await b.submit('/fi/sign-in/email', { email, next: '/fi/my' })).status).toBe(302);
        }
        const limited = await b.submit('/fi/sign-in/email', { email, next: '/fi/my' });
        expect(limited.status).toBe(429);
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await limited.text()).toContain('Liian monta yritystä');

        // One IP, many addresses: the per-IP limit (20 per window) holds.
        const ip = browser(app, HOST_A, { 'x-forwarded-for': '198.51.100.20' });
        const statuses: number[] = [];
        for (let i = 0; i < 21; i++) {
          statuses.push((await ip.submit('/fi/sign-in/email', { email: `monta.${i}.${engine.name}@example.fi`, next: '/fi/my' })).status);
        }
        expect(statuses.slice(0, 20).every((s) => s === 302)).toBe(true);
        expect(statuses[20]).toBe(429);
      });
    });

    describe('Suomi.fi SAML', () => {
      /** Follows the Suomi.fi link; returns the AuthnRequest id and the redirect URL. */
      async function startSaml(b: ReturnType<typeof browser>, next = '/fi/my') {
        const r = await b.request(`/fi/sign-in/suomifi?next=${encodeURIComponent(next)}`);
        expect(r.status).toBe(302);
        const location = new URL(r.headers.get('location')!);
        const request = inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
        const id = /\bID="([^"]+)"/.exec(request)![1];
        return { id, location, request };
      }

      const acs = (b: ReturnType<typeof browser>, samlResponse: string, relay = 'lang=fi&next=%2Ffi%2Fmy') =>
        b.post('/saml/acs', { SAMLResponse: samlResponse, RelayState: relay });

      it('publishes SP metadata with the ACS of the tenant host and the SP certificate', async () => {
        const r = await hostFetch(app, HOST_A)('/saml/metadata');
        expect(r.status).toBe(200);
        expect(r.headers.get('content-type')).toContain('application/samlmetadata+xml');
        const xml = await r.text();
        expect(xml).toContain(`entityID="${SP_ENTITY}"`);
        expect(xml).toContain(`Location="${ACS}"`);
        expect(xml).toContain('AuthnRequestsSigned="true" WantAssertionsSigned="true"');
        expect(xml).toContain('<KeyDescriptor use="encryption">');
        expect(xml).toContain(sp.cert.split('\n')[1]);
      });

      it('sends a signed AuthnRequest to the IdP, with lang and next in RelayState', async () => {
        const b = browser(app, HOST_A);
        const { location, request } = await startSaml(b);
        expect(location.origin + location.pathname).toBe(IDP_ENTRY);
        expect(location.searchParams.get('RelayState')).toBe('lang=fi&next=%2Ffi%2Fmy');
        expect(request).toContain(`<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${SP_ENTITY}</saml:Issuer>`);
        expect(request).toContain(`AssertionConsumerServiceURL="${ACS}"`);
        // HTTP-Redirect binding signature over SAMLRequest, RelayState and SigAlg, in that order.
        const raw = location.search.slice(1).split('&');
        const part = (k: string) => raw.find((p) => p.startsWith(k + '='))!;
        const signed = [part('SAMLRequest'), part('RelayState'), part('SigAlg')].join('&');
        const ok = createVerify('RSA-SHA256').update(signed).verify(sp.cert, location.searchParams.get('Signature')!, 'base64');
        expect(ok).toBe(true);
      });

      it('signs in a strong resident from a signed response, and refuses its replay', async () => {
        const b = browser(app, HOST_A);
        const { id } = await startSaml(b);
        const saml = b64(responseXml(id, signAssertion(assertionXml(id, { hetu: '081181-9984', given: 'Matti Juhani', sn: 'Meikäläinen' }), idp)));
        const nonce = b.jar.get('aukio_saml')!;
        expect(nonce).toBeTruthy();
        const r = await acs(b, saml);
        expect(r.status).toBe(303);
        expect(r.headers.get('location')).toBe('/fi/my');
        expect(b.jar.has('aukio_session')).toBe(true);
        expect(b.jar.has('aukio_saml')).toBe(false);
        const my = await b.page('/fi/my');
        expect(my.html).toContain('Matti Juhani Meikäläinen');
        expect(my.html).toContain('081181-***4');
        expect(my.html).not.toContain('081181-9984');
        expect(my.html).toContain('Vahva (Suomi.fi)');
        const audit = await auditActions(app, 'resident.sign_in');
        expect(audit.some((a) => a.details.method === 'suomifi' && a.details.assurance === 'strong')).toBe(true);
        const session = await app.services.db.query<{ auth_method: string }>(
          `select s.auth_method from sessions s join residents r on r.id = s.resident_id where r.national_id = '081181-9984' order by s.created_at desc limit 1`,
        );
        expect(session.rows[0].auth_method).toBe('suomifi');

        const replay = browser(app, HOST_A);
        replay.jar.set('aukio_saml', nonce);
        const again = await acs(replay, saml);
        expect(again.status).toBe(400);
        expect(again.headers.get('content-type')).toContain('text/html');
        expect(replay.jar.has('aukio_session')).toBe(false);
      });

      it('refuses a valid response that arrives in another browser than the one that started (login CSRF)', async () => {
        const victim = browser(app, HOST_A);
        const attacker = browser(app, HOST_A);
        const { id } = await startSaml(attacker);
        const start = await victim.request('/fi/sign-in/suomifi');
        expect(start.headers.getSetCookie().join()).toMatch(/aukio_saml=[^;]+; Path=\/saml\/acs; Max-Age=1800; HttpOnly; Secure; SameSite=None/);
        const saml = b64(responseXml(id, signAssertion(assertionXml(id, { hetu: '081181-9984', given: 'M', sn: 'M' }), idp)));
        const r = await acs(victim, saml);
        expect(r.status).toBe(400);
        expect(victim.jar.has('aukio_session')).toBe(false);
      });

      it('decrypts an encrypted assertion and reads the name from displayName', async () => {
        const b = browser(app, HOST_A);
        const { id } = await startSaml(b, '/sv/my');
        const signed = signAssertion(assertionXml(id, { hetu: '020202A9568', display: 'Aino Nuorinen', sn: 'Nuorinen' }), idp);
        const saml = b64(responseXml(id, await encryptAssertion(signed, sp)));
        const r = await acs(b, saml, 'lang=sv&next=%2Fsv%2Fmy');
        expect(r.status).toBe(303);
        expect(r.headers.get('location')).toBe('/sv/my');
        const my = await b.page('/sv/my');
        expect(my.html).toContain('Aino Nuorinen');
        expect(my.html).toContain('020202A***8');
      });

      it('refuses a tampered response with a 4xx page', async () => {
        const b = browser(app, HOST_A);
        const { id } = await startSaml(b);
        const signed = signAssertion(assertionXml(id, { hetu: '081181-9984', given: 'Matti', sn: 'Meikäläinen' }), idp);
        const tampered = signed.replace('081181-9984', '210281-9988');
        const r = await acs(b, b64(responseXml(id, tampered)));
        expect(r.status).toBe(400);
        expect(await r.text()).toContain('Tunnistautuminen epäonnistui');
        expect(b.jar.has('aukio_session')).toBe(false);
      });

      it('refuses an unsigned response, one signed by another key, and an unsolicited one', async () => {
        const b = browser(app, HOST_A);
        const first = await startSaml(b);
        const unsigned = await acs(b, b64(responseXml(first.id, assertionXml(first.id, { hetu: '081181-9984', given: 'M', sn: 'M' }))));
        expect(unsigned.status).toBe(400);

        const other = await keyPairWithCert('evil.test');
        const second = await startSaml(b);
        const forged = await acs(b, b64(responseXml(second.id, signAssertion(assertionXml(second.id, { hetu: '081181-9984', given: 'M', sn: 'M' }), other))));
        expect(forged.status).toBe(400);

        const unsolicitedId = '_never-requested';
        const unsolicited = await acs(b, b64(responseXml(unsolicitedId, signAssertion(assertionXml(unsolicitedId, { hetu: '081181-9984', given: 'M', sn: 'M' }), idp))));
        expect(unsolicited.status).toBe(400);

        for (const junk of ['', 'not base64 at all!', b64('<not-saml/>'), b64('<<<')]) {
          const r = await acs(b, junk);
          expect(r.status, junk).toBe(400);
        }
        expect(b.jar.has('aukio_session')).toBe(false);
      });

      it("refuses tenant A's request id on tenant B's ACS", async () => {
        const a = browser(app, HOST_A);
        const { id } = await startSaml(a);
        const saml = b64(responseXml(id, signAssertion(assertionXml(id, { hetu: '081181-9984', given: 'M', sn: 'M' }), idp)));
        const onB = browser(app, HOST_B);
        const r = await acs(onB, saml);
        expect(r.status).toBe(400);
      });
    });
  });

  describe.skipIf(!engine.available)(`resident sign-in without the development IdP on ${engine.name}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp(engine.name, { env: { DEV_IDP: 'false' } });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('answers the test IdP page and its action with 404 and hides both options', async () => {
      const b = browser(app, HOST_A);
      expect((await b.request('/fi/dev-idp')).status).toBe(404);
      const r = await b.submit('/fi/sign-in/email', { person: '010280-952L', next: '/fi/my' }, '/fi/dev-idp');
      expect(r.status).toBe(404);
      expect(b.jar.has('aukio_session')).toBe(false);
      const { html } = await b.page('/fi/sign-in');
      expect(html).not.toContain('/fi/dev-idp');
      expect(html).not.toContain('/fi/sign-in/suomifi');
      expect(html).toContain('/fi/sign-in/email');
      expect((await b.request('/fi/sign-in/suomifi')).status).toBe(404);
      expect((await b.request('/saml/metadata')).status).toBe(404);
    });
  });
}
