import { chromium } from 'playwright-core';
import { startTestApp, HOST_A } from './tests/helpers/app.ts';
import { signInAs } from './tests/helpers/staff-session.ts';

const app = await startTestApp('pglite');
try {
  const s = await signInAs(app, HOST_A, 'viestinta@esimerkkila.fi');
  // Some data: an imported-looking service and a unit.
  const svc = await app.services.db.query<{ id: string }>(`insert into catalog_services (tenant_id, external_id, type, status, names, summary, keywords, service_classes) values ($1,'ptv-1','Service','published','{"fi":"Varhaiskasvatus","sv":"Småbarnspedagogik"}','{"fi":"Päivähoito lapsille."}','{"fi":["päiväkoti"]}','[{"code":"P3.4","name":{"fi":"Varhaiskasvatus","sv":"Småbarnspedagogik"}}]') returning id`, [s.tenantId]);
  const api = async (method: string, path: string, body: unknown) => {
    const { hostFetch } = await import('./tests/helpers/app.ts');
    const r = await hostFetch(app, HOST_A)(path, { method, headers: s.json, body: JSON.stringify(body) });
    return r.json();
  };
  const unit = await api('POST', '/api/v1/catalog/channels', { kind: 'service_location', status: 'published', names: { fi: 'Kaupungintalo', sv: 'Stadshuset' }, address: { street: { fi: 'Torikatu' }, streetNumber: '1', postalCode: '00100', postOffice: { fi: 'Esimerkkilä' } }, serviceHours: [{ type: 'regular', hours: [{ dayFrom: 'Monday', dayTo: 'Friday', from: '08:00', to: '16:00' }] }, { type: 'exceptional', validFrom: '2026-12-24', validTo: '2026-12-26', isClosed: true, info: { fi: 'Joulu' } }] });
  const page = await api('POST', '/api/v1/pages', { slug: 'talviajan-ohjeet', title: { fi: 'Talviajan ohjeet', sv: 'Vinteranvisningar' }, summary: { fi: 'Lumityöt ja liukkaus.' }, body: { fi: '<h2>Lumityöt</h2><p>Kiinteistön omistaja <strong>vastaa</strong> jalkakäytävästä.</p><ul><li>Hiekoita</li></ul>' }, topic: 'P3.4' });
  await api('POST', `/api/v1/pages/${page.id}/publish`, {});
  await api('PATCH', `/api/v1/pages/${page.id}`, { updatedAt: (await api('GET', `/api/v1/pages/${page.id}`, undefined).catch(() => ({}))).updatedAt, title: { fi: 'Talviajan ohjeet 2026' } }).catch(() => {});
  await api('POST', '/api/v1/catalog/synonyms', { lang: 'fi', term: 'päikky', expansion: 'päiväkoti' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const origin = `http://${HOST_A}:${app.port}`;
  const shot = async (path: string, name: string, width = 1280) => {
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    const [k, v] = s.cookie.split('; ').map((x) => x.split('='));
    await ctx.addCookies([{ name: 'aukio_session', value: s.cookie.split('; ')[0].split('=')[1], domain: HOST_A, path: '/' }, { name: 'aukio_csrf', value: s.csrf, domain: HOST_A, path: '/' }]);
    const p = await ctx.newPage();
    p.on('pageerror', (e) => console.log('pageerror', path, e.message));
    const r = await p.goto(origin + path);
    console.log(path, r?.status());
    await p.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
    await ctx.close();
  };
  const which = process.argv.slice(2);
  const all: [string, string, number?][] = [
    ['/fi/staff/catalog/services', 'services'],
    [`/fi/staff/catalog/services/${svc.rows[0].id}`, 'service-imported'],
    ['/fi/staff/catalog/services/new', 'service-new'],
    ['/fi/staff/catalog/units', 'units'],
    [`/fi/staff/catalog/units/${unit.id}`, 'unit-edit'],
    ['/fi/staff/pages', 'pages'],
    [`/fi/staff/pages/${page.id}`, 'page-edit'],
    [`/fi/staff/pages/${page.id}/history`, 'page-history'],
    ['/sv/staff/synonyms', 'synonyms-sv'],
    ['/fi/staff/promotions', 'promotions'],
    ['/fi/staff/pages', 'pages-phone', 375],
    [`/fi/staff/pages/${page.id}`, 'page-edit-phone', 375],
  ];
  for (const [path, name, w] of all) if (!which.length || which.includes(name)) await shot(path, name, w);
  await browser.close();
} finally {
  await app.close();
}
