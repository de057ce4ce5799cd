import type { Queryable } from '../../platform/db.ts';
import type { ServiceHours } from '../../modules/catalog/model.ts';

/**
 * The demo's customer-service set-up: teams with business hours and SLA targets, their
 * members, and the inbound e-mail address of each team (README: "Inbox"). Idempotent: a
 * tenant that already has teams is left alone. The bot's FAQ is seeded by demo/faq.ts.
 */

const weekdays = (from: string, to: string): ServiceHours => ({
  type: 'regular',
  validFrom: null,
  validTo: null,
  isClosed: false,
  hours: [{ dayFrom: 'Monday', dayTo: 'Friday', from, to }],
  info: {},
});

interface DemoTeam {
  names: { fi: string; sv: string; en: string };
  email: string;
  hours: ServiceHours[];
  firstResponse: number;
  resolution: number;
  isDefault: boolean;
  members: string[];
}

const TEAMS: Record<string, DemoTeam[]> = {
  esimerkkila: [
    {
      names: { fi: 'Neuvonta', sv: 'Rådgivning', en: 'Advice' },
      email: 'neuvonta@esimerkkila.fi',
      hours: [weekdays('08:00', '16:00')],
      firstResponse: 15,
      resolution: 24 * 60,
      isDefault: true,
      members: ['asiakaspalvelu@esimerkkila.fi', 'admin@esimerkkila.fi'],
    },
    {
      names: { fi: 'Varhaiskasvatus', sv: 'Småbarnspedagogik', en: 'Early childhood education' },
      email: 'varhaiskasvatus@esimerkkila.fi',
      hours: [weekdays('09:00', '15:00')],
      firstResponse: 60,
      resolution: 2 * 24 * 60,
      isDefault: false,
      members: ['paivakoti@esimerkkila.fi', 'asiakaspalvelu@esimerkkila.fi'],
    },
  ],
  jarvikyla: [
    {
      names: { fi: 'Asiakaspalvelu', sv: 'Kundtjänst', en: 'Customer service' },
      email: 'kirjaamo@jarvikyla.fi',
      hours: [weekdays('09:00', '15:00')],
      firstResponse: 60,
      resolution: 3 * 24 * 60,
      isDefault: true,
      members: ['admin@jarvikyla.fi'],
    },
  ],
};

export async function seedDemoInbox(tx: Queryable, tenantId: string, slug: string): Promise<void> {
  const existing = await tx.query('select 1 from inbox_teams where tenant_id = $1 limit 1', [tenantId]);
  if (existing.rows.length) return;
  await tx.query('insert into inbox_settings (tenant_id) values ($1) on conflict do nothing', [tenantId]);
  let order = 0;
  for (const t of TEAMS[slug] ?? []) {
    const team = await tx.query<{ id: string }>(
      `insert into inbox_teams (tenant_id, names, business_hours, first_response_sla_minutes, resolution_sla_minutes, email_address, is_default, sort_order)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
      [tenantId, JSON.stringify(t.names), JSON.stringify(t.hours), t.firstResponse, t.resolution, t.email, t.isDefault, (order += 10)],
    );
    await tx.query(
      `insert into inbox_team_members (tenant_id, team_id, staff_user_id)
       select $1, $2, id from staff_users where tenant_id = $1 and email = any($3::text[])`,
      [tenantId, team.rows[0].id, t.members],
    );
  }
}
