import type { Queryable } from '../../platform/db.ts';

/**
 * Demo newsletter subscribers of Esimerkkilä (confirmed, at example.org): one per language
 * and frequency, so the subscriber list, a campaign's segment and the digests have someone
 * to show. Idempotent: an address that exists is left as it is.
 */
const SUBSCRIBERS = [
  { email: 'tilaaja.fi@example.org', language: 'fi', topics: ['kulttuuri', 'paatoksenteko'], frequency: 'instant' },
  { email: 'prenumerant.sv@example.org', language: 'sv', topics: ['kulttuuri'], frequency: 'daily' },
  { email: 'subscriber.en@example.org', language: 'en', topics: ['paatoksenteko'], frequency: 'weekly' },
];

export async function seedDemoNewsletters(tx: Queryable, tenantId: string, slug: string): Promise<void> {
  if (slug !== 'esimerkkila') return;
  for (const s of SUBSCRIBERS) {
    await tx.query(
      `insert into newsletter_subscribers (tenant_id, email, email_norm, language, topics, frequency, status, origin, confirmed_at, last_digest_at)
       values ($1, $2, $2, $3, $4, $5, 'confirmed', 'http://esimerkkila.localhost:3000', now(), now())
       on conflict (tenant_id, email_norm) do nothing`,
      [tenantId, s.email, s.language, s.topics, s.frequency],
    );
  }
}
