import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeE2E, expectNoHorizontalScroll, screenshot, startE2E, visit, type E2E } from './harness.ts';

/**
 * What staff see of the e-mail channel's outgoing mail in the console's outbox (the capture
 * adapter, the embedded default): an agent's reply with its sender, Reply-To, threading
 * headers and attachment line, axe-clean in fi and sv, and readable 320 px wide (long
 * Message-IDs wrap instead of widening the page).
 */
const PASSWORD = 'Aukio-demo-2026!';
const ADMIN = 'admin@esimerkkila.fi';

describeE2E('inbox e-mail in the outbox (Chromium)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('an agent’s e-mail reply is shown with its threading headers, in fi and sv, at 320 px', async () => {
    const { services } = e2e.app;
    const raw = [
      'From: Maija Meikäläinen <maija.outbox@example.org>',
      'To: neuvonta@esimerkkila.fi',
      'Subject: Katuvalo Koulutiellä',
      'Message-ID: <e2e-outbox-1@example.org>',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Katuvalo on ollut pimeänä viikon.',
      '',
    ].join('\r\n');
    const [outcome] = await services.emailChannel.ingest({ envelopeFrom: 'maija.outbox@example.org', recipients: ['neuvonta@esimerkkila.fi'], raw: Buffer.from(raw) });
    expect(outcome.kind).toBe('created');
    const conversationId = (outcome as { conversationId: string }).conversationId;
    const tenantId = outcome.tenantId;
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    const att = await services.db.query<{ id: string }>(
      `insert into inbox_attachments (tenant_id, conversation_id, uploaded_by, filename, content_type, size, bytes)
       values ($1, $2, 'agent', 'korjausaikataulu.pdf', 'application/pdf', $3, $4) returning id`,
      [tenantId, conversationId, pdf.length, pdf],
    );
    await services.db.transaction((tx) =>
      services.conversations.postMessage(tx, tenantId, conversationId, {
        authorKind: 'agent',
        authorName: 'Aino Asiakaspalvelu',
        body: 'Kiitos ilmoituksesta! Korjaamme valon huomenna.',
        data: { attachments: [{ id: att.rows[0].id, filename: 'korjausaikataulu.pdf', contentType: 'application/pdf', size: pdf.length }] },
      }),
    );
    let outboxId: string | undefined;
    for (let i = 0; i < 100 && !outboxId; i++) {
      const r = await services.db.query<{ id: string }>(
        `select id from outbox_messages where recipient = 'maija.outbox@example.org' and headers ? 'X-Aukio-Attachments'`,
      );
      outboxId = r.rows[0]?.id;
      if (!outboxId) await new Promise((res) => setTimeout(res, 200));
    }
    expect(outboxId).toBeTruthy();

    const o = e2e.origin();
    const page = await e2e.page({ viewport: { width: 320, height: 720 } });
    await visit(page, `${o}/fi/staff/outbox`, { path: /^\/fi\/staff\/sign-in\?next=/ });
    await page.locator('input[name="email"]').fill(ADMIN);
    await page.locator('input[name="password"]').fill(PASSWORD);
    const signIn = page.locator('form', { has: page.locator('input[name="password"]') });
    await Promise.all([page.waitForURL((u) => u.pathname === '/fi/staff/outbox'), signIn.locator('button:not([type]), button[type="submit"]').first().click()]);
    for (const lang of ['fi', 'sv']) {
      await visit(page, `${o}/${lang}/staff/outbox/${outboxId}`);
      const main = await page.getByRole('main').innerText();
      expect(main).toMatch(/In-Reply-To\s+<e2e-outbox-1@example\.org>/);
      expect(main).toMatch(/Reply-To\s+Neuvonta – Esimerkkilän kaupunki <neuvonta@esimerkkila\.fi>/);
      expect(main).toMatch(/Message-ID\s+<[0-9a-f-]{36}@aukio\.localhost>/);
      expect(main).toContain('korjausaikataulu.pdf (application/pdf');
      expect(main).toMatch(/Viite #\d+/);
      await expectNoHorizontalScroll(page);
    }
    // The HTML part renders in the preview: the reply's paragraphs and the footer.
    const preview = await page.frameLocator('iframe.mail-html').locator('body').innerText();
    expect(preview).toContain('Korjaamme valon huomenna.');
    expect(preview).toMatch(/Viite #\d+/);
    await screenshot(page, 'inbox-email-outbox-320');
  });
});
