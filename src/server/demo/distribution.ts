import { randomToken } from '../../platform/crypto.ts';
import type { Queryable } from '../../platform/db.ts';

/**
 * Esimerkkilä's media distribution list: a journalist on the embargo list, a Swedish-
 * language paper taking every topic, a radio news desk for traffic and disruptions, and a
 * self-subscribed journalist still to confirm. Addresses are on .example (never delivered).
 * Channels (Mastodon, webhook) stay off: they need the organisation's own instance and token.
 */
const CONTACTS = [
  { name: 'Aila Toimittaja', email: 'aila.toimittaja@uutismedia.example', outlet: 'Uutismedia', topics: ['paatoksenteko', 'liikenne'], embargo: true, language: 'fi', confirmed: true, source: 'staff' },
  { name: 'Björn Redaktör', email: 'bjorn.redaktor@tidningen.example', outlet: 'Tidningen', topics: [], embargo: false, language: 'sv', confirmed: true, source: 'staff' },
  { name: 'Paikallisradion uutisdeski', email: 'uutiset@paikallisradio.example', outlet: 'Paikallisradio', topics: ['liikenne', 'hairiot'], embargo: false, language: 'fi', confirmed: true, source: 'staff' },
  { name: 'Veera Vapaa', email: 'veera.vapaa@freelance.example', outlet: 'Freelancer', topics: ['kulttuuri'], embargo: false, language: 'fi', confirmed: false, source: 'self' },
];

export async function seedDemoDistribution(tx: Queryable, tenantId: string, slug: string): Promise<void> {
  if (slug !== 'esimerkkila') return;
  if ((await tx.query('select 1 from media_contacts where tenant_id = $1 limit 1', [tenantId])).rows.length) return;
  for (const c of CONTACTS) {
    await tx.query(
      `insert into media_contacts (tenant_id, name, email, outlet, topics, embargo_list, language, confirmed, source, unsubscribe_token, confirmed_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, case when $8 then now() end)`,
      [tenantId, c.name, c.email, c.outlet, c.topics, c.embargo, c.language, c.confirmed, c.source, randomToken(24)],
    );
  }
}
