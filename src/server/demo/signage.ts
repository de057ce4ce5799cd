import { sha256 } from '../../platform/crypto.ts';
import type { Queryable } from '../../platform/db.ts';

/**
 * The demo's info screen: Esimerkkilä's Torikulma service point lobby, with a known URL
 * (demo data only; a real screen's token is random and shown once), showing a welcome
 * text, the latest news and today's hours of the first published service location.
 */
export const DEMO_SCREEN_TOKEN = 'esimerkkila-torikulma-lobby-demo-screen';

export async function seedDemoSignage(tx: Queryable, tenantId: string, slug: string): Promise<void> {
  if (slug !== 'esimerkkila') return;
  if ((await tx.query('select 1 from signage_screens where tenant_id = $1 limit 1', [tenantId])).rows.length) return;
  const unit = await tx.query<{ id: string }>(`select id from org_units where tenant_id = $1 and names->>'fi' = 'Palvelupiste Torikulma'`, [tenantId]);
  if (!unit.rows[0]) return;
  const screen = await tx.query<{ id: string }>(
    `insert into signage_screens (tenant_id, org_unit_id, name, location_note, orientation, lang, slide_seconds, token_hash)
     values ($1, $2, 'Torikulman aula', 'Asiakaspalvelun odotustila', 'landscape', 'fi', 12, $3) returning id`,
    [tenantId, unit.rows[0].id, sha256(DEMO_SCREEN_TOKEN)],
  );
  const slides: { kind: string; config: Record<string, unknown> }[] = [
    { kind: 'text', config: { title: 'Tervetuloa Torikulman palvelupisteeseen', body: 'Ota vuoronumero ovensuusta. Palvelemme myös chatissa kaupungin sivuilla.' } },
    { kind: 'news', config: { count: 3 } },
  ];
  const location = await tx.query<{ id: string }>(
    `select id from catalog_channels where tenant_id = $1 and kind = 'service_location' and status = 'published' order by names->>'fi' limit 1`,
    [tenantId],
  );
  if (location.rows[0]) slides.push({ kind: 'hours', config: { locationId: location.rows[0].id } });
  for (const [i, s] of slides.entries()) {
    await tx.query(`insert into signage_slides (tenant_id, screen_id, position, kind, config) values ($1, $2, $3, $4, $5)`, [
      tenantId,
      screen.rows[0].id,
      i,
      s.kind,
      JSON.stringify(s.config),
    ]);
  }
}
