import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordResetToken } from '../../src/modules/identity/password-reset.ts';
import { totpCode } from '../../src/modules/identity/totp.ts';
import { sha256 } from '../../src/platform/crypto.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { engines } from '../helpers/engines.ts';
import { startTestIdp } from '../helpers/test-idp.ts';

const PASSWORD = 'Aukio-demo-2026!';
let ipCounter = 1;

/**
 * A browser: keeps cookies, comes from its own address (X-Forwarded-For; the app trusts
 * its proxy) so throttling of one test does not leak into another.
 */
function browser(app: TestApp, host = HOST_A) {
  const f = hostFetch(app, host);
  const jar = new Map<string, string>();
  const ip = `10.1.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`;
  async function req(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const r = await f(path, { ...init, headers: { 'x-forwarded-for': ip, ...(cookie ? { cookie } : {}), ...(init.headers ?? {}) } });
    for (const c of r.headers.getSetCookie()) {
      const [nv, ...attrs] = c.split(';');
      const i = nv.indexOf('=');
      const name = nv.slice(0, i).trim();
      const value = nv.slice(i + 1).trim();
      if (!value || attrs.some((a) => /max-age=0\b/i.test(a.trim()))) jar.delete(name);
      else jar.set(name, value);
    }
    return r;
  }
  async function csrf(path = '/fi/staff/sign-in') {
    if (!jar.has('aukio_csrf')) await req(path);
    return jar.get('aukio_csrf')!;
  }
  async function post(path: string, fields: Record<string, string>, withCsrf = true) {
    const body = new URLSearchParams({ ...fields, ...(withCsrf ? { _csrf: await csrf() } : {}) }).toString();
    return req(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  }
  async function api(path: string, json: unknown, withCsrf = true) {
    const token = withCsrf ? await csrf() : undefined;
    return req(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { 'x-csrf-token': token } : {}) },
      body: JSON.stringify(json),
    });
  }
  const signIn = (email: string, password = PASSWORD, next = '') => post('/fi/staff/sign-in', { email, password, next });
  return { req, post, api, csrf, signIn, jar, ip };
}

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`staff authentication on ${engine.name}`, () => {
    let app: TestApp;
    let tenantA: string;
    const db = () => app.services.db;
    const userId = async (email: string) =>
      (await db().query<{ id: string }>('select id from staff_users where email = $1', [email])).rows[0].id;
    const auditRows = (action: string) =>
      db().query<{ actor_kind: string; actor_id: string | null; target_id: string | null; details: Record<string, unknown>; ip: string | null }>(
        'select actor_kind, actor_id, target_id, details, ip from audit_log where tenant_id = $1 and action = $2 order by id',
        [tenantA, action],
      );

    beforeAll(async () => {
      app = await startTestApp(engine.name);
      tenantA = (await db().query<{ id: string }>(`select id from tenants where slug = 'esimerkkila'`)).rows[0].id;
    });
    afterAll(async () => {
      await app?.close();
    });

    it('renders an accessible sign-in page in every language', async () => {
      const b = browser(app);
      for (const [lang, title] of [
        ['fi', 'Henkilöstön kirjautuminen'],
        ['sv', 'Inloggning för personal'],
        ['en', 'Staff sign-in'],
      ]) {
        const r = await b.req(`/${lang}/staff/sign-in`);
        expect(r.status).toBe(200);
        const html = await r.text();
        expect(html).toContain(`<h1>${title}</h1>`);
        expect(html).toMatch(/autocomplete="username"/i);
        expect(html).toMatch(/autocomplete="current-password"/i);
        expect(html).toMatch(/<label for="email">/);
        expect(html).toContain('name="_csrf"');
      }
      const expired = await (await b.req('/fi/staff/sign-in?expired=1')).text();
      expect(expired).toContain('Istuntosi on vanhentunut');
      // The console itself sends anonymous visitors to sign-in, remembering where they were going.
      const console = await b.req('/fi/staff/security');
      expect(console.status).toBe(302);
      expect(console.headers.get('location')).toBe('/fi/staff/sign-in?next=%2Ffi%2Fstaff%2Fsecurity');
    });

    it('signs in with the page form, honours next, and audits it', async () => {
      const b = browser(app);
      const r = await b.signIn('ADMIN@esimerkkila.fi', PASSWORD, '/fi/staff/security');
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toBe('/fi/staff/security');
      const setCookie = r.headers.getSetCookie().find((c) => c.startsWith('aukio_session='))!;
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      const home = await b.req('/fi/staff');
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('Tervetuloa');
      // An off-site next is ignored.
      const b2 = browser(app);
      const r2 = await b2.signIn('admin@esimerkkila.fi', PASSWORD, '//evil.example/x');
      expect(r2.headers.get('location')).toBe('/fi/staff');

      const admin = await userId('admin@esimerkkila.fi');
      const rows = (await auditRows('staff.sign_in')).rows.filter((x) => x.target_id === admin);
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(rows[0]).toMatchObject({ actor_kind: 'staff', actor_id: admin, details: { method: 'password' }, ip: b.ip });
    });

    it('refuses wrong passwords and unknown accounts alike, and audits without the password', async () => {
      const b = browser(app);
      const wrong = await b.signIn('viestinta@esimerkkila.fi', 'wrong-password-123');
      expect(wrong.status).toBe(401);
      const html = await wrong.text();
      expect(html).toContain('role="alert"');
      expect(html).toContain('Sähköposti tai salasana on väärin.');
      expect(html).toContain('value="viestinta@esimerkkila.fi"');
      expect(html).toContain('aria-describedby="form-errors"');
      const unknown = await b.signIn('nobody@esimerkkila.fi', 'wrong-password-123');
      expect(unknown.status).toBe(401);
      expect(unknown.headers.getSetCookie().some((c) => c.startsWith('aukio_session='))).toBe(false);

      const failed = (await auditRows('staff.sign_in_failed')).rows.filter((x) => x.ip === b.ip);
      expect(failed).toHaveLength(2);
      expect(failed[0].target_id).toBe(await userId('viestinta@esimerkkila.fi'));
      expect(failed[1].target_id).toBeNull();
      expect(failed[1].details.emailHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(failed)).not.toContain('wrong-password-123');
      expect(JSON.stringify(failed)).not.toContain('nobody@');

      const empty = await b.signIn('', '');
      expect(empty.status).toBe(400);
      const emptyHtml = await empty.text();
      expect(emptyHtml).toContain('aria-invalid="true"');
      expect(emptyHtml).toContain('aria-describedby="email-error"');
    });

    it('refuses a form post without the CSRF token', async () => {
      const b = browser(app);
      await b.csrf();
      const r = await b.post('/fi/staff/sign-in', { email: 'admin@esimerkkila.fi', password: PASSWORD }, false);
      expect(r.status).toBe(403);
      expect(r.headers.getSetCookie().some((c) => c.startsWith('aukio_session='))).toBe(false);
      const api = await b.api('/api/v1/auth/staff/sign-in', { email: 'admin@esimerkkila.fi', password: PASSWORD }, false);
      expect(api.status).toBe(403);
      expect((await api.json()).error.code).toBe('csrf_failed');
    });

    it('signs in and out through the JSON API', async () => {
      const b = browser(app);
      const r = await b.api('/api/v1/auth/staff/sign-in', { email: 'admin@esimerkkila.fi', password: PASSWORD });
      expect(r.status).toBe(200);
      const body = await r.json();
      expect(body.user).toMatchObject({ email: 'admin@esimerkkila.fi', roles: ['tenant_admin'] });
      expect(body.user.id).toBe(await userId('admin@esimerkkila.fi'));
      expect(b.jar.has('aukio_session')).toBe(true);
      expect((await b.req('/fi/staff')).status).toBe(200);

      const bad = await browser(app).api('/api/v1/auth/staff/sign-in', { email: 'admin@esimerkkila.fi', password: 'nope-nope-nope' });
      expect(bad.status).toBe(401);
      expect(await bad.json()).toEqual({ error: { code: 'invalid_credentials', message: expect.any(String) } });
      const malformed = await browser(app).api('/api/v1/auth/staff/sign-in', { email: 42 });
      expect(malformed.status).toBe(400);
      expect((await malformed.json()).error.code).toBe('validation_failed');

      const out = await b.api('/api/v1/auth/sign-out', {});
      expect(out.status).toBe(204);
      expect(b.jar.has('aukio_session')).toBe(false);
      expect((await b.req('/fi/staff')).status).toBe(302);
      expect((await auditRows('staff.sign_out')).rows.some((x) => x.ip === b.ip)).toBe(true);
    });

    it('signs out with the page form', async () => {
      const b = browser(app);
      await b.signIn('admin@esimerkkila.fi');
      const token = b.jar.get('aukio_session')!;
      const out = await b.post('/fi/staff/sign-out', {});
      expect(out.status).toBe(302);
      expect(out.headers.get('location')).toBe('/fi/staff/sign-in?notice=signed_out');
      expect(b.jar.has('aukio_session')).toBe(false);
      const left = await db().query('select 1 from sessions where id = $1', [sha256(token)]);
      expect(left.rowCount).toBe(0);
      expect(await (await b.req('/fi/staff/sign-in?notice=signed_out')).text()).toContain('Olet kirjautunut ulos.');
      // Without the token nothing happens.
      const c = browser(app);
      await c.signIn('admin@esimerkkila.fi');
      expect((await c.post('/fi/staff/sign-out', {}, false)).status).toBe(403);
      expect((await c.req('/fi/staff')).status).toBe(200);
    });

    it('keeps tenants apart: a Järvikylä account cannot sign in on Esimerkkilä', async () => {
      const onA = await browser(app, HOST_A).signIn('admin@jarvikyla.fi');
      expect(onA.status).toBe(401);
      const b = browser(app, HOST_B);
      const onB = await b.signIn('admin@jarvikyla.fi');
      expect(onB.status).toBe(302);
      // Järvikylä's session cookie means nothing on Esimerkkilä's host.
      const cookie = `aukio_session=${b.jar.get('aukio_session')}`;
      const cross = await hostFetch(app, HOST_A)('/fi/staff', { headers: { cookie } });
      expect(cross.status).toBe(302);
    });

    it('answers 429 with Retry-After after repeated failures, on the page and the API', async () => {
      const b = browser(app);
      const max = app.services.config.LOGIN_MAX_FAILURES;
      for (let i = 0; i < max; i++) expect((await b.signIn('moderaattori@esimerkkila.fi', `wrong-${i}-password`)).status).toBe(401);
      const locked = await b.signIn('moderaattori@esimerkkila.fi', PASSWORD);
      expect(locked.status).toBe(429);
      const retry = Number(locked.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(app.services.config.LOGIN_WINDOW_MINUTES * 60);
      const html = await locked.text();
      expect(html).toContain('Liian monta yritystä');
      expect(html).toContain('role="alert"');
      // The account is locked for every address, and through the API too.
      const api = await browser(app).api('/api/v1/auth/staff/sign-in', { email: 'moderaattori@esimerkkila.fi', password: PASSWORD });
      expect(api.status).toBe(429);
      expect(api.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await api.json()).error.code).toBe('too_many_requests');
      const moderator = await userId('moderaattori@esimerkkila.fi');
      const lockouts = (await auditRows('staff.locked_out')).rows.filter((x) => x.target_id === moderator);
      expect(lockouts).toHaveLength(1);
      expect(lockouts[0].details).toMatchObject({ step: 'password', keys: ['account'] });

      // Per address the limit is four times higher, whatever accounts are tried.
      const c = browser(app);
      for (let i = 0; i < max * 4; i++) expect((await c.signIn(`probe${i}@esimerkkila.fi`, 'wrong-password-x')).status).toBe(401);
      expect((await c.signIn('admin@esimerkkila.fi', PASSWORD)).status).toBe(429);
      expect((await browser(app).signIn('admin@esimerkkila.fi', PASSWORD)).status).toBe(302);
    });

    it('resets the account counter on a successful sign-in', async () => {
      const b = browser(app);
      const max = app.services.config.LOGIN_MAX_FAILURES;
      expect((await browser(app).signIn('viestinta@esimerkkila.fi')).status).toBe(302);
      for (let i = 0; i < max - 1; i++) expect((await b.signIn('viestinta@esimerkkila.fi', 'wrong-password-again')).status).toBe(401);
      expect((await browser(app).signIn('viestinta@esimerkkila.fi')).status).toBe(302);
      const c = browser(app);
      for (let i = 0; i < max - 1; i++) expect((await c.signIn('viestinta@esimerkkila.fi', 'wrong-password-again')).status).toBe(401);
      expect((await c.signIn('viestinta@esimerkkila.fi')).status).toBe(302);
    });

    it('enrols TOTP, then signs in with a generated code; a pending session is anonymous', async () => {
      const email = 'asiakaspalvelu@esimerkkila.fi';
      const id = await userId(email);
      const b = browser(app);
      await b.signIn(email);
      const page = await b.req('/fi/staff/security');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Kaksivaiheinen tunnistautuminen ei ole käytössä.');
      expect((await b.post('/fi/staff/security', { intent: 'totp_begin' })).status).toBe(302);
      const enrolRes = await b.req('/fi/staff/security');
      expect(enrolRes.headers.get('cache-control')).toBe('no-store');
      const enrol = await enrolRes.text();
      const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(enrol)![1];
      expect(enrol).toContain('otpauth://totp/');
      // The same URI as an inline SVG QR code, one labelled image, beside the text secret.
      const qr = /<div class="totp-qr" role="img" aria-label="([^"]+)" data-testid="totp-qr"><svg [^>]*viewBox="0 0 \d+ \d+"[^>]*>(.*?)<\/svg>\s*<\/div>/s.exec(enrol);
      expect(qr).not.toBeNull();
      expect(qr![1]).toContain('QR-koodi todennussovellukseen');
      expect(qr![2]).not.toMatch(/<script|on\w+=|href=/i);
      const uri = /<code class="break">([^<]+)<\/code>/.exec(enrol)![1].replaceAll('&amp;', '&');
      expect(enrol).toContain(await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
      expect(await (await b.req('/sv/staff/security')).text()).toContain('aria-label="QR-kod för autentiseringsappen.');
      expect(await (await b.req('/en/staff/security')).text()).toContain('aria-label="QR code for the authenticator app.');
      expect(enrol).toMatch(/autocomplete="one-time-code"/i);
      // Not enabled before a code confirms it.
      expect((await db().query<{ totp_enabled: boolean }>('select totp_enabled from staff_users where id = $1', [id])).rows[0].totp_enabled).toBe(false);
      const wrong = await b.post('/fi/staff/security', { intent: 'totp_confirm', code: '000000' });
      expect(wrong.status).toBe(400);
      expect(await wrong.text()).toContain('Koodi on väärä tai vanhentunut.');
      const ok = await b.post('/fi/staff/security', { intent: 'totp_confirm', code: totpCode(secret) });
      expect(ok.status).toBe(302);
      expect(ok.headers.get('location')).toBe('/fi/staff/security?done=totp_enabled');
      expect((await auditRows('staff.totp_enabled')).rows.map((x) => x.target_id)).toContain(id);

      // Password alone now gives a pending session that acts as anonymous.
      const c = browser(app);
      const first = await c.signIn(email, PASSWORD, '/fi/staff/security');
      expect(first.status).toBe(302);
      expect(first.headers.get('location')).toBe('/fi/staff/sign-in/totp?next=%2Ffi%2Fstaff%2Fsecurity');
      expect(c.jar.has('aukio_session')).toBe(true);
      expect((await c.req('/fi/staff')).status).toBe(302);
      expect(await (await c.req('/fi')).text()).toContain('href="/fi/sign-in"');
      const totpPage = await c.req('/fi/staff/sign-in/totp?next=%2Ffi%2Fstaff%2Fsecurity');
      expect(totpPage.status).toBe(200);
      const bad = await c.post('/fi/staff/sign-in/totp', { code: '123456', next: '/fi/staff/security' });
      expect(bad.status).toBe(401);
      // The code used to confirm enrolment cannot be used again; the next one works.
      const reused = await c.post('/fi/staff/sign-in/totp', { code: totpCode(secret), next: '/fi/staff/security' });
      expect(reused.status).toBe(401);
      const pendingToken = c.jar.get('aukio_session')!;
      const done = await c.post('/fi/staff/sign-in/totp', { code: totpCode(secret, Date.now() + 30_000), next: '/fi/staff/security' });
      expect(done.status).toBe(302);
      expect(done.headers.get('location')).toBe('/fi/staff/security');
      expect((await c.req('/fi/staff')).status).toBe(200);
      // Session fixation: the second factor issues a new token; the pending one is gone for good.
      expect(c.jar.get('aukio_session')).not.toBe(pendingToken);
      expect((await db().query('select 1 from sessions where id = $1', [sha256(pendingToken)])).rowCount).toBe(0);
      const old = await hostFetch(app, HOST_A)('/fi/staff', { headers: { cookie: `aukio_session=${pendingToken}` } });
      expect(old.status).toBe(302);
      expect(old.headers.get('location')).toMatch(/^\/fi\/staff\/sign-in/);
      const oldTotp = await hostFetch(app, HOST_A)('/fi/staff/sign-in/totp', { headers: { cookie: `aukio_session=${pendingToken}` } });
      expect(oldTotp.headers.get('location')).toMatch(/^\/fi\/staff\/sign-in(\?|$)/);
      const full = await db().query<{ auth_method: string; pending_second_factor: boolean }>(
        'select auth_method, pending_second_factor from sessions where id = $1',
        [sha256(c.jar.get('aukio_session')!)],
      );
      expect(full.rows[0]).toEqual({ auth_method: 'password+totp', pending_second_factor: false });
      const signIns = (await auditRows('staff.sign_in')).rows.filter((x) => x.target_id === id);
      expect(signIns.at(-1)!.details).toEqual({ method: 'password+totp' });
      expect((await auditRows('staff.sign_in_failed')).rows.filter((x) => x.target_id === id && x.details.method === 'totp')).toHaveLength(2);

      // The API wants the code too, and leaves no session without it.
      const d = browser(app);
      const noCode = await d.api('/api/v1/auth/staff/sign-in', { email, password: PASSWORD });
      expect(noCode.status).toBe(401);
      expect((await noCode.json()).error).toMatchObject({ code: 'invalid_code', secondFactorRequired: true });
      expect(d.jar.has('aukio_session')).toBe(false);
      // As if the next 30 s had passed: the step used above is behind us.
      await db().query('update staff_users set totp_last_step = null where id = $1', [id]);
      const withCode = await d.api('/api/v1/auth/staff/sign-in', { email, password: PASSWORD, totpCode: totpCode(secret) });
      expect(withCode.status).toBe(200);

      // Turning it off needs a current code.
      await db().query('update staff_users set totp_last_step = null where id = $1', [id]);
      expect((await c.post('/fi/staff/security', { intent: 'totp_disable', code: '000000' })).status).toBe(400);
      const off = await c.post('/fi/staff/security', { intent: 'totp_disable', code: totpCode(secret) });
      expect(off.status).toBe(302);
      expect((await auditRows('staff.totp_disabled')).rows.map((x) => x.target_id)).toContain(id);
      expect((await browser(app).signIn(email)).headers.get('location')).toBe('/fi/staff');
    });

    it('throttles the TOTP step', async () => {
      const email = 'viestinta@esimerkkila.fi';
      const id = await userId(email);
      const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
      await db().query('update staff_users set totp_secret = $2, totp_enabled = true where id = $1', [id, secret]);
      try {
        const b = browser(app);
        await b.signIn(email);
        for (let i = 0; i < app.services.config.LOGIN_MAX_FAILURES; i++) {
          expect((await b.post('/fi/staff/sign-in/totp', { code: '000000' })).status).toBe(401);
        }
        const locked = await b.post('/fi/staff/sign-in/totp', { code: totpCode(secret) });
        expect(locked.status).toBe(429);
        expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await locked.text()).toContain('Liian monta yritystä');
        expect((await auditRows('staff.locked_out')).rows.some((x) => x.target_id === id && x.details.step === 'totp')).toBe(true);
      } finally {
        await db().query(`update staff_users set totp_secret = null, totp_enabled = false, totp_last_step = null where id = $1`, [id]);
        await db().query(`delete from auth_throttle where key = $1`, [`totp:${id}`]);
      }
    });

    it('resets a password through the e-mailed link, once, and signs out everywhere', async () => {
      const email = 'paivakoti@esimerkkila.fi';
      const id = await userId(email);
      const signedIn = browser(app);
      await signedIn.signIn(email);
      expect((await signedIn.req('/fi/staff')).status).toBe(200);

      const b = browser(app);
      const form = await (await b.req('/fi/staff/forgot-password')).text();
      expect(form).toContain('<h1>Salasanan vaihto</h1>');
      const sent = await b.post('/fi/staff/forgot-password', { email: 'Paivakoti@esimerkkila.fi' });
      const none = await b.post('/fi/staff/forgot-password', { email: 'nobody@esimerkkila.fi' });
      expect(sent.status).toBe(302);
      expect(none.status).toBe(302);
      expect(sent.headers.get('location')).toBe('/fi/staff/forgot-password?sent=1');
      expect(none.headers.get('location')).toBe(sent.headers.get('location'));
      expect(await (await b.req('/fi/staff/forgot-password?sent=1')).text()).toContain('Jos osoitteella on käyttäjätili');

      let body = '';
      for (let i = 0; i < 100 && !body; i++) {
        const m = await db().query<{ body_text: string }>(
          `select body_text from outbox_messages where tenant_id = $1 and recipient = $2 order by created_at desc limit 1`,
          [tenantA, email],
        );
        body = m.rows[0]?.body_text ?? '';
        if (!body) await new Promise((r) => setTimeout(r, 100));
      }
      expect(body).toContain('salasanan vaihtoa');
      const link = /(http:\/\/\S+\/fi\/staff\/reset-password\?token=\S+)/.exec(body)![1];
      const url = new URL(link);
      expect(url.host).toBe(HOST_A);
      const path = url.pathname + url.search;
      expect((await db().query(`select 1 from outbox_messages where recipient = 'nobody@esimerkkila.fi'`)).rowCount).toBe(0);
      const requested = (await auditRows('staff.password_reset_requested')).rows.filter((x) => x.ip === b.ip);
      expect(requested).toHaveLength(2);
      expect(requested[0].target_id).toBe(id);
      expect(requested[1].details).toMatchObject({ unknownAccount: true });

      const pageRes = await b.req(path);
      expect(pageRes.headers.get('cache-control')).toBe('no-store');
      const page = await pageRes.text();
      expect(page).toMatch(/autocomplete="new-password"/i);
      const token = url.searchParams.get('token')!;
      const tooShort = await b.post('/fi/staff/reset-password', { token, password: 'short', confirm: 'short' });
      expect(tooShort.status).toBe(400);
      expect(await tooShort.text()).toContain('vähintään 12 merkkiä');
      const mismatch = await b.post('/fi/staff/reset-password', { token, password: 'Uusi-salasana-2026', confirm: 'Uusi-salasana-2027' });
      expect(mismatch.status).toBe(400);
      expect(await mismatch.text()).toContain('Salasanat eivät täsmää.');
      const ok = await b.post('/fi/staff/reset-password', { token, password: 'Uusi-salasana-2026', confirm: 'Uusi-salasana-2026' });
      expect(ok.status).toBe(302);
      expect(ok.headers.get('location')).toBe('/fi/staff/sign-in?notice=password_reset');

      // Single use.
      expect(await (await b.req(path)).text()).toContain('Linkki on virheellinen, jo käytetty tai vanhentunut.');
      const again = await b.post('/fi/staff/reset-password', { token, password: 'Toinen-salasana-2026', confirm: 'Toinen-salasana-2026' });
      expect(again.status).toBe(400);
      // The earlier session is gone; the old password no longer works, the new one does.
      expect((await signedIn.req('/fi/staff')).status).toBe(302);
      expect((await browser(app).signIn(email)).status).toBe(401);
      expect((await browser(app).signIn(email, 'Uusi-salasana-2026')).status).toBe(302);
      const changed = (await auditRows('staff.password_changed')).rows.filter((x) => x.target_id === id);
      expect(changed.at(-1)!.details).toEqual({ via: 'reset_link' });

      // An expired link is refused (the shared helper, as invitations use it).
      const expired = await createPasswordResetToken(db(), tenantA, id, 60);
      await db().query(`update one_time_tokens set expires_at = now() - interval '1 second' where token_hash = $1`, [sha256(expired)]);
      expect(await (await b.req(`/fi/staff/reset-password?token=${expired}`)).text()).toContain('Linkki on virheellinen');
      const late = await b.post('/fi/staff/reset-password', { token: expired, password: 'Kolmas-salasana-2026', confirm: 'Kolmas-salasana-2026' });
      expect(late.status).toBe(400);
      // A token of another tenant is not valid here.
      const other = (await db().query<{ id: string; tenant_id: string }>(`select id, tenant_id from staff_users where email = 'admin@jarvikyla.fi'`)).rows[0];
      const foreign = await createPasswordResetToken(db(), other.tenant_id, other.id, 60);
      expect(await (await b.req(`/fi/staff/reset-password?token=${foreign}`)).text()).toContain('Linkki on virheellinen');
    });

    it('limits forgotten-password requests per address with 429 and Retry-After', async () => {
      const b = browser(app);
      const max = app.services.config.LOGIN_MAX_FAILURES * 2;
      for (let i = 0; i < max; i++) {
        const r = await b.post('/fi/staff/forgot-password', { email: `probe${i}@example.org` });
        expect(r.status).toBe(302);
      }
      const limited = await b.post('/fi/staff/forgot-password', { email: 'paivakoti@esimerkkila.fi' });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      const html = await limited.text();
      expect(html).toContain('Liian monta yritystä');
      expect(html).toContain('role="alert"');
      // Another address is not affected, and sign-in from this one still works.
      expect((await browser(app).post('/fi/staff/forgot-password', { email: 'nobody@esimerkkila.fi' })).status).toBe(302);
      expect((await b.signIn('admin@esimerkkila.fi')).headers.get('location')).toBe('/fi/staff');
    });

    it('changes the own password on the security page', async () => {
      const email = 'viestinta@esimerkkila.fi';
      const other = browser(app);
      await other.signIn(email);
      const b = browser(app);
      await b.signIn(email);
      const wrong = await b.post('/fi/staff/security', { intent: 'change_password', current: 'not-my-password', password: 'Vaihdettu-salasana-1', confirm: 'Vaihdettu-salasana-1' });
      expect(wrong.status).toBe(400);
      expect(await wrong.text()).toContain('Nykyinen salasana on väärin.');
      const ok = await b.post('/fi/staff/security', { intent: 'change_password', current: PASSWORD, password: 'Vaihdettu-salasana-1', confirm: 'Vaihdettu-salasana-1' });
      expect(ok.status).toBe(302);
      expect((await b.req('/fi/staff')).status).toBe(200);
      expect((await other.req('/fi/staff')).status).toBe(302);
      expect((await browser(app).signIn(email, 'Vaihdettu-salasana-1')).status).toBe(302);
      expect((await auditRows('staff.password_changed')).rows.some((x) => x.details.via === 'self')).toBe(true);
    });

    describe('OpenID Connect', () => {
      let idp: Awaited<ReturnType<typeof startTestIdp>>;
      beforeAll(async () => {
        idp = await startTestIdp({
          clientId: 'aukio-esimerkkila',
          clientSecret: 'test-client-secret',
          redirectUris: [`http://${HOST_A}/staff/oidc/callback`],
        });
        await db().query(`update tenants set oidc = $2 where id = $1`, [
          tenantA,
          JSON.stringify({ issuer: idp.issuer, clientId: 'aukio-esimerkkila', clientSecret: 'test-client-secret', displayName: 'Testi-IdP' }),
        ]);
      });
      afterAll(async () => {
        await db().query(`update tenants set oidc = null where id = $1`, [tenantA]);
        await idp?.close();
      });

      /** Walks the redirects through the provider as a browser would; returns the callback path. */
      async function throughProvider(authUrl: string) {
        const jar = new Map<string, string>();
        let url = authUrl;
        for (let i = 0; i < 10; i++) {
          if (url.startsWith(`http://${HOST_A}/`)) return url.slice(`http://${HOST_A}`.length);
          const r = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
          for (const c of r.headers.getSetCookie()) {
            const [nv] = c.split(';');
            const j = nv.indexOf('=');
            jar.set(nv.slice(0, j), nv.slice(j + 1));
          }
          expect([302, 303]).toContain(r.status);
          url = new URL(r.headers.get('location')!, url).href;
        }
        throw new Error('too many redirects');
      }

      it('offers the provider on the sign-in page and starts with state, nonce and PKCE', async () => {
        const b = browser(app);
        const page = await (await b.req('/sv/staff/sign-in')).text();
        expect(page).toContain('Logga in med Testi-IdP');
        const r = await b.req('/sv/staff/oidc/start?next=%2Fsv%2Fstaff%2Fsecurity');
        expect(r.status).toBe(302);
        const url = new URL(r.headers.get('location')!);
        expect(url.origin).toBe(idp.issuer);
        expect(url.searchParams.get('client_id')).toBe('aukio-esimerkkila');
        expect(url.searchParams.get('redirect_uri')).toBe(`http://${HOST_A}/staff/oidc/callback`);
        expect(url.searchParams.get('response_type')).toBe('code');
        expect(url.searchParams.get('scope')).toContain('openid');
        expect(url.searchParams.get('code_challenge_method')).toBe('S256');
        expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
        expect(url.searchParams.get('nonce')).toBeTruthy();
        const state = url.searchParams.get('state')!;
        const row = await db().query<{ data: Record<string, unknown>; ttl: number }>(
          `select data, extract(epoch from expires_at - now())::int as ttl from one_time_tokens where purpose = 'oidc_state' and token_hash = $1`,
          [sha256(state)],
        );
        expect(row.rows[0].data).toMatchObject({ nonce: url.searchParams.get('nonce'), lang: 'sv', next: '/sv/staff/security' });
        expect(row.rows[0].ttl).toBeGreaterThan(540);
        expect(row.rows[0].ttl).toBeLessThanOrEqual(600);
        expect(b.jar.has('aukio_oidc')).toBe(true);
      });

      it('signs in a known person end to end, linking by verified e-mail, then by subject', async () => {
        const admin = await userId('admin@esimerkkila.fi');
        idp.signInAs({ sub: 'idp-admin-1', email: 'admin@esimerkkila.fi', emailVerified: true });
        const b = browser(app);
        const start = await b.req('/sv/staff/oidc/start?next=%2Fsv%2Fstaff%2Fsecurity');
        const callback = await throughProvider(start.headers.get('location')!);
        expect(callback).toMatch(/^\/staff\/oidc\/callback\?/);
        const done = await b.req(callback);
        expect(done.status).toBe(302);
        expect(done.headers.get('location')).toBe('/sv/staff/security');
        expect((await b.req('/sv/staff/security')).status).toBe(200);
        const linked = await db().query<{ oidc_subject: string }>('select oidc_subject from staff_users where id = $1', [admin]);
        expect(linked.rows[0].oidc_subject).toBe('idp-admin-1');
        const audit = (await auditRows('staff.sign_in')).rows.filter((x) => x.details.method === 'oidc');
        expect(audit.at(-1)).toMatchObject({ target_id: admin, details: { method: 'oidc', linkedBy: 'verified_email' } });

        // The callback cannot be replayed.
        const replay = await b.req(callback);
        expect(replay.headers.get('location')).toContain('oidc_error=failed');

        // Next time the subject alone finds the account, even with another address at the provider.
        idp.signInAs({ sub: 'idp-admin-1', email: 'someone-else@example.org', emailVerified: true });
        const c = browser(app);
        const start2 = await c.req('/fi/staff/oidc/start');
        const done2 = await c.req(await throughProvider(start2.headers.get('location')!));
        expect(done2.headers.get('location')).toBe('/fi/staff');
        expect((await c.req('/fi/staff')).status).toBe(200);
      });

      it('falls back to the password form when the provider is unreachable or not configured', async () => {
        const b = browser(app);
        await db().query(`update tenants set oidc = jsonb_set(oidc, '{issuer}', '"http://127.0.0.1:1"') where id = $1`, [tenantA]);
        try {
          const r = await b.req('/fi/staff/oidc/start');
          expect(r.status).toBe(302);
          expect(r.headers.get('location')).toBe('/fi/staff/sign-in?oidc_error=failed');
        } finally {
          await db().query(`update tenants set oidc = jsonb_set(oidc, '{issuer}', to_jsonb($2::text)) where id = $1`, [tenantA, idp.issuer]);
        }
        // Järvikylä has no provider: no button, and start leads back to the form.
        const c = browser(app, HOST_B);
        expect(await (await c.req('/fi/staff/sign-in')).text()).not.toContain('Kirjaudu palvelulla');
        expect((await c.req('/fi/staff/oidc/start')).headers.get('location')).toBe('/fi/staff/sign-in?oidc_error=failed');
      });

      it('refuses people without an account, unverified addresses, and foreign browsers', async () => {
        idp.signInAs({ sub: 'idp-stranger', email: 'stranger@example.org', emailVerified: true });
        const b = browser(app);
        const start = await b.req('/fi/staff/oidc/start');
        const done = await b.req(await throughProvider(start.headers.get('location')!));
        expect(done.headers.get('location')).toBe('/fi/staff/sign-in?oidc_error=unknown_person');
        expect(b.jar.has('aukio_session')).toBe(false);
        expect(await (await b.req('/fi/staff/sign-in?oidc_error=unknown_person')).text()).toContain('tunnuksellesi ei ole käyttäjätiliä');
        expect((await auditRows('staff.sign_in_failed')).rows.some((x) => x.details.reason === 'unknown_person')).toBe(true);

        // An unverified address is not enough to link an account.
        idp.signInAs({ sub: 'idp-unverified', email: 'viestinta@esimerkkila.fi', emailVerified: false });
        const c = browser(app);
        const s2 = await c.req('/fi/staff/oidc/start');
        expect((await c.req(await throughProvider(s2.headers.get('location')!))).headers.get('location')).toContain('oidc_error=unknown_person');

        // A callback arriving in another browser (no binding cookie) is refused.
        idp.signInAs({ sub: 'idp-admin-1', email: 'admin@esimerkkila.fi', emailVerified: true });
        const d = browser(app);
        const s3 = await d.req('/fi/staff/oidc/start');
        const cb = await throughProvider(s3.headers.get('location')!);
        const e = browser(app);
        const foreign = await e.req(cb);
        expect(foreign.headers.get('location')).toBe('/fi/staff/sign-in?oidc_error=failed');
        expect(e.jar.has('aukio_session')).toBe(false);
      });
    });
  });
}
