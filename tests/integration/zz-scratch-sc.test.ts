import { it, expect } from 'vitest';
import { HOST_A, startTestApp } from '../helpers/app.ts';
import { staffClient } from '../helpers/staff-session.ts';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
it('scratch', async () => {
  const app = await startTestApp('pglite');
  const tenant = (await app.services.db.query<{ id: string }>(`select id from tenants where slug = 'esimerkkila'`)).rows[0].id;
  const r = await app.services.feedback.submit({ kind: 'anonymous' }, tenant, { categoryCode: 'pothole', description: 'x', lat: 61.4, lon: 23.7, lang: 'fi', files: [{ filename: 'k.png', data: PNG }] }, { channel: 'open311' });
  const katu = await staffClient(app, HOST_A, 'katu@esimerkkila.fi');
  const id = (await app.services.db.query<{ id: string }>('select id from feedback_attachments where case_id = $1', [r.caseId])).rows[0].id;
  const res = await katu.get(`/fi/staff/feedback/attachments/${id}`);
  console.log(res.status, [...res.headers.entries()], (await res.arrayBuffer()).byteLength);
  const page = await katu.get(`/fi/staff/feedback/cases/${r.caseId}`);
  console.log(page.status);
  const admin = await staffClient(app, HOST_A, 'admin@esimerkkila.fi');
  const c = await admin.get(`/fi/staff/feedback/categories/new`);
  console.log('cat', c.status, (await c.text()).slice(0, 300));
  await app.close();
}, 60000);
