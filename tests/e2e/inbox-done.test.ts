import { afterAll, beforeAll, expect, it } from 'vitest';
import { signInAs } from '../helpers/staff-session.ts';
import { describeE2E, expectAccessible, HOST_A, screenshot, startE2E, visit, type E2E } from './harness.ts';

/*
 * Issue 5's "done when", in two browser contexts, axe-clean in both: a resident asks the
 * bot on the front page and gets a service card; asks for a person; an agent in the other
 * context accepts the conversation; they exchange messages live (SSE both ways) and the
 * resident sends an attachment; the agent resolves and the resident rates the chat.
 */

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const AGENT = 'asiakaspalvelu@esimerkkila.fi';

describeE2E('inbox done-when: bot → service card → person → agent → messages and attachment → resolve → rating', () => {
  let e2e: E2E;
  let tenantId = '';

  beforeAll(async () => {
    e2e = await startE2E();
    tenantId = (await e2e.app.services.tenancy.resolveByHost(HOST_A))!.id;
    // The demo team works Mon–Fri 8–16 Helsinki time; the test runs whenever CI does, so
    // the team is open around the clock here, and it hands out nothing by itself: the
    // agent accepts the conversation from the queue.
    await e2e.app.services.db.query(`update inbox_teams set business_hours = '[]', auto_assign = false where tenant_id = $1`, [tenantId]);
  }, 120_000);
  afterAll(() => e2e?.close());

  it('runs the whole conversation in two browsers', async () => {
    const o = e2e.origin();

    // The agent signs in and says they are available.
    const s = await signInAs(e2e.app, HOST_A, AGENT);
    const agent = await e2e.page();
    await agent.context().addCookies(
      s.cookie.split('; ').map((c) => {
        const [name, value] = c.split('=');
        return { name, value, domain: 'esimerkkila.localhost', path: '/' };
      }),
    );
    await visit(agent, `${o}/fi/staff/inbox`);
    await agent.getByLabel('Paikalla').check();
    await Promise.all([agent.waitForURL(/notice=presence/), agent.getByRole('button', { name: 'Vaihda tila' }).click()]);
    await expectAccessible(agent);

    // 1. The resident opens the chat on the front page and asks the bot.
    const resident = await e2e.page();
    await visit(resident, `${o}/fi`);
    await resident.getByRole('button', { name: /^(Chat|Avaa chat)$/ }).click();
    await resident.getByRole('button', { name: 'Aloita chat' }).click();
    await resident.getByLabel('Viesti', { exact: true }).fill('Miten haen lapselle päivähoitopaikkaa?');
    await resident.getByRole('button', { name: 'Lähetä', exact: true }).click();
    const card = resident.locator('.chat-card').first();
    await card.waitFor({ timeout: 15_000 });
    const cardLink = card.getByRole('link');
    expect(await cardLink.getAttribute('href')).toMatch(/^\/fi\/(services|units)\/[0-9a-f-]{36}$/);
    await expectAccessible(resident);
    await screenshot(resident, 'done-bot-card');

    // 2. The resident asks for a person, in words.
    await resident.getByLabel('Viesti', { exact: true }).fill('Haluan puhua ihmisen kanssa');
    await resident.getByRole('button', { name: 'Lähetä', exact: true }).click();
    await resident.getByText(/Olet jonossa/).first().waitFor({ timeout: 15_000 });
    await expectAccessible(resident);

    // 3. The agent finds it in the queue (the list shows its latest line) and accepts it.
    const conv = await e2e.app.services.db.query<{ id: string }>(
      `select id from inbox_conversations where tenant_id = $1 and status = 'pending' order by created_at desc limit 1`,
      [tenantId],
    );
    const conversationId = conv.rows[0].id;
    const row = agent.locator(`a.inbox-row-link[href$="/${conversationId}"]`);
    await expect
      .poll(
        async () => {
          if ((await row.count()) === 0) await agent.goto(`${o}/fi/staff/inbox?status=pending`);
          return row.count();
        },
        { timeout: 15_000 },
      )
      .toBeGreaterThan(0);
    await Promise.all([agent.waitForURL(/\/fi\/staff\/inbox\/[0-9a-f-]{36}$/), row.first().click()]);
    await expectAccessible(agent);
    // What the bot said is visible to the agent.
    await agent.locator('.inbox-msg-body', { hasText: 'Miten haen lapselle päivähoitopaikkaa?' }).first().waitFor();
    await Promise.all([agent.waitForURL(/notice=accepted/), agent.getByRole('button', { name: 'Ota itselle' }).click()]);
    await expectAccessible(agent);
    await resident.locator('.chat-msg', { hasText: /liittyi keskusteluun/ }).first().waitFor({ timeout: 15_000 });

    // 4. Messages both ways, live, and an attachment from the resident.
    await agent.locator('#reply-body').fill('Hei! Autan mielelläni hakemuksen kanssa.');
    await Promise.all([agent.waitForURL(/notice=sent/), agent.getByRole('button', { name: 'Lähetä vastaus' }).click()]);
    await resident.locator('.chat-msg-body', { hasText: 'Hei! Autan mielelläni hakemuksen kanssa.' }).waitFor({ timeout: 15_000 });
    // Screen readers hear it from the live region.
    expect(await resident.locator('[aria-live="polite"]', { hasText: 'Hei! Autan mielelläni' }).count()).toBe(1);
    await resident.getByLabel(/^Liitä tiedosto/).setInputFiles({ name: 'hakemus.png', mimeType: 'image/png', buffer: PNG });
    await resident.getByLabel('Viesti', { exact: true }).fill('Tässä kuva hakemuksesta.');
    await resident.getByRole('button', { name: 'Lähetä', exact: true }).click();
    await expect
      .poll(
        async () => {
          const n = await agent.locator('.inbox-msg-body', { hasText: 'Tässä kuva hakemuksesta.' }).count();
          if (n === 0) await agent.reload();
          return n;
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    const attachment = agent.getByRole('link', { name: /hakemus\.png/ });
    await attachment.first().waitFor();
    // The browser fetches it with the agent's session (Node cannot resolve *.localhost).
    const [status, head] = await agent.evaluate(async (href) => {
      const r = await fetch(href);
      return [r.status, Array.from(new Uint8Array(await r.arrayBuffer()).slice(0, 8))] as const;
    }, (await attachment.first().getAttribute('href'))!);
    expect(status).toBe(200);
    expect(head).toEqual(Array.from(PNG.subarray(0, 8)));
    await expectAccessible(agent);
    await screenshot(agent, 'done-agent-conversation');

    // 5. The agent resolves; the resident rates the conversation.
    await Promise.all([agent.waitForURL(/notice=status/), agent.getByRole('button', { name: 'Merkitse ratkaistuksi' }).click()]);
    await expectAccessible(agent);
    await resident.getByText('5 – Erinomainen').waitFor({ timeout: 15_000 });
    await resident.getByText('5 – Erinomainen').click();
    await resident.getByLabel('Kommentti (vapaaehtoinen)').fill('Nopea ja ystävällinen apu.');
    await resident.getByRole('button', { name: 'Lähetä arvio' }).click();
    await resident.getByText('Kiitos arviostasi!').waitFor({ timeout: 15_000 });
    await expectAccessible(resident);
    await screenshot(resident, 'done-rated');

    const r = await e2e.app.services.db.query<{ status: string; csat_score: number; csat_comment: string; assignee_id: string; resolved_by_bot: boolean }>(
      `select status, csat_score, csat_comment, assignee_id, resolved_by_bot from inbox_conversations
        where tenant_id = $1 and csat_comment = 'Nopea ja ystävällinen apu.'`,
      [tenantId],
    );
    expect(r.rows).toEqual([{ status: 'resolved', csat_score: 5, csat_comment: 'Nopea ja ystävällinen apu.', assignee_id: s.userId, resolved_by_bot: false }]);
  }, 180_000);
});
