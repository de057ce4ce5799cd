import { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import { hasRole, requireStaff } from '../identity/access.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { pick, type Lang, type Localized } from '../../platform/i18n.ts';
import { isUuid } from '../../platform/validation.ts';
import type { Agent } from './access.ts';

/**
 * Canned responses: ready answers an agent inserts with "/shortcut" or a picker. Written
 * by customer-service staff, for one team or for everyone (team null), with a title and a
 * body in fi, sv and en. Bodies may contain variables that are filled in for the
 * conversation at hand:
 *
 *   {{resident_name}}           the contact's name
 *   {{agent_name}}              the agent's first name
 *   {{reference}}               the conversation's reference number, "#10023"
 *   {{service_link:<uuid>}}     absolute link to a published service of the tenant, in the
 *                               conversation's language
 *
 * A value that is missing (an anonymous resident, an unknown or unpublished service, a
 * misspelled variable) renders as nothing and the spacing around it is tidied, so a
 * resident never sees "{{…}}" or "Hei ,".
 */

export interface CannedResponse {
  id: string;
  teamId: string | null;
  shortcut: string;
  titles: Localized;
  bodies: Localized;
  updatedAt: string;
}

export interface RenderVars {
  residentName?: string | null;
  agentName?: string | null;
  reference?: number | null;
  /** Service id → absolute link; only published services of the tenant are in it. */
  serviceLinks?: Record<string, string>;
}

const VARIABLE = /\{\{\s*([a-z_]+)(?::\s*([^}\s]*))?\s*\}\}/g;

/** Fills a canned body's variables; anything unknown or missing becomes empty. */
export function renderCanned(body: string, vars: RenderVars): string {
  const filled = body.replace(VARIABLE, (_m, name: string, arg: string | undefined) => {
    switch (name) {
      case 'resident_name':
        return vars.residentName?.trim() ?? '';
      case 'agent_name':
        return vars.agentName?.trim() ?? '';
      case 'reference':
        return vars.reference ? `#${vars.reference}` : '';
      case 'service_link':
        return (arg && vars.serviceLinks?.[arg.toLowerCase()]) || '';
      default:
        return '';
    }
  });
  // An empty value leaves "Hei ," or a double space behind: tidy without touching line breaks.
  return filled
    .replace(/\{\{[^}]*\}\}/g, '')
    .replace(/[ \t]+([,.!?;:])/g, '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

/** The service ids a body refers to (so only those are looked up). */
export function serviceIdsIn(body: string): string[] {
  const ids = new Set<string>();
  for (const m of body.matchAll(VARIABLE)) if (m[1] === 'service_link' && isUuid(m[2])) ids.add(m[2].toLowerCase());
  return [...ids];
}

export const SHORTCUT = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const text = (max: number) => z.string().trim().max(max);
const l10n = (max: number) =>
  z
    .strictObject({ fi: text(max).optional(), sv: text(max).optional(), en: text(max).optional() })
    .refine((v) => Object.values(v).some((x) => x && x.length > 0), { message: 'required' });

export const CannedInput = z.strictObject({
  teamId: z.string().uuid().nullable().optional(),
  shortcut: z.string().trim().toLowerCase().regex(SHORTCUT),
  titles: l10n(120),
  bodies: l10n(4000),
});
export type CannedInput = z.infer<typeof CannedInput>;

interface Row {
  id: string;
  team_id: string | null;
  shortcut: string;
  titles: Localized;
  bodies: Localized;
  updated_at: Date | string;
}

const toCanned = (r: Row): CannedResponse => ({
  id: r.id,
  teamId: r.team_id,
  shortcut: r.shortcut,
  titles: r.titles,
  bodies: r.bodies,
  updatedAt: new Date(r.updated_at).toISOString(),
});

const clean = (v: Localized): Localized => Object.fromEntries(Object.entries(v).filter(([, x]) => x && x.trim()));

export class CannedResponseService {
  constructor(
    private db: Db,
    private audit: AuditService,
  ) {}

  /** Writing canned responses is customer service's (tenant admins implied). */
  requireEditor(actor: Actor, tenantId: string) {
    const user = requireStaff(actor);
    if (user.tenantId !== tenantId) throw new AppError('not_found', 404);
    if (!hasRole(user, 'customer_service')) throw new AppError('forbidden', 403);
    return user;
  }

  /** What an agent may use: global ones and their teams' (all for customer service). */
  async listFor(q: Queryable, tenantId: string, agent: Agent | 'all'): Promise<CannedResponse[]> {
    const all = agent === 'all' || agent.allTeams;
    const r = await q.query<Row>(
      `select id, team_id, shortcut, titles, bodies, updated_at from inbox_canned_responses
        where tenant_id = $1 ${all ? '' : 'and (team_id is null or team_id = any($2::uuid[]))'} order by shortcut`,
      all ? [tenantId] : [tenantId, agent.teamIds],
    );
    return r.rows.map(toCanned);
  }

  async get(q: Queryable, tenantId: string, id: string): Promise<CannedResponse | null> {
    if (!isUuid(id)) return null;
    const r = await q.query<Row>('select id, team_id, shortcut, titles, bodies, updated_at from inbox_canned_responses where tenant_id = $1 and id = $2', [
      tenantId,
      id,
    ]);
    return r.rows[0] ? toCanned(r.rows[0]) : null;
  }

  async create(actor: Actor, tenantId: string, input: unknown): Promise<CannedResponse> {
    this.requireEditor(actor, tenantId);
    const v = CannedInput.parse(input);
    return this.db.transaction(async (tx) => {
      await this.checkTeam(tx, tenantId, v.teamId ?? null);
      await this.checkShortcut(tx, tenantId, v.shortcut, null);
      const r = await tx.query<Row>(
        `insert into inbox_canned_responses (tenant_id, team_id, shortcut, titles, bodies) values ($1, $2, $3, $4, $5)
         returning id, team_id, shortcut, titles, bodies, updated_at`,
        [tenantId, v.teamId ?? null, v.shortcut, JSON.stringify(clean(v.titles)), JSON.stringify(clean(v.bodies))],
      );
      await this.audit.record(tx, tenantId, actor, { action: 'inbox.canned.create', targetKind: 'inbox_canned_response', targetId: r.rows[0].id, details: { shortcut: v.shortcut } });
      return toCanned(r.rows[0]);
    });
  }

  async update(actor: Actor, tenantId: string, id: string, input: unknown): Promise<CannedResponse> {
    this.requireEditor(actor, tenantId);
    const v = CannedInput.parse(input);
    return this.db.transaction(async (tx) => {
      if (!(await this.get(tx, tenantId, id))) throw new AppError('not_found', 404);
      await this.checkTeam(tx, tenantId, v.teamId ?? null);
      await this.checkShortcut(tx, tenantId, v.shortcut, id);
      const r = await tx.query<Row>(
        `update inbox_canned_responses set team_id = $3, shortcut = $4, titles = $5, bodies = $6, updated_at = now()
          where tenant_id = $1 and id = $2 returning id, team_id, shortcut, titles, bodies, updated_at`,
        [tenantId, id, v.teamId ?? null, v.shortcut, JSON.stringify(clean(v.titles)), JSON.stringify(clean(v.bodies))],
      );
      await this.audit.record(tx, tenantId, actor, { action: 'inbox.canned.update', targetKind: 'inbox_canned_response', targetId: id, details: { shortcut: v.shortcut } });
      return toCanned(r.rows[0]);
    });
  }

  async remove(actor: Actor, tenantId: string, id: string): Promise<void> {
    this.requireEditor(actor, tenantId);
    await this.db.transaction(async (tx) => {
      const c = await this.get(tx, tenantId, id);
      if (!c) throw new AppError('not_found', 404);
      await tx.query('delete from inbox_canned_responses where tenant_id = $1 and id = $2', [tenantId, id]);
      await this.audit.record(tx, tenantId, actor, { action: 'inbox.canned.delete', targetKind: 'inbox_canned_response', targetId: id, details: { shortcut: c.shortcut } });
    });
  }

  /**
   * The canned responses an agent may use, rendered for one conversation in its
   * language. `origin` is the resident site's origin for service links.
   */
  async renderedFor(
    q: Queryable,
    tenantId: string,
    agent: Agent,
    conv: { lang: Lang; contactName: string | null; number: number },
    origin: string,
  ): Promise<{ id: string; shortcut: string; title: string; text: string }[]> {
    const list = await this.listFor(q, tenantId, agent);
    const ids = [...new Set(list.flatMap((c) => serviceIdsIn(pick(c.bodies, conv.lang).text)))];
    const serviceLinks: Record<string, string> = {};
    if (ids.length) {
      const r = await q.query<{ id: string }>(
        `select id from catalog_services where tenant_id = $1 and id = any($2::uuid[]) and status = 'published'`,
        [tenantId, ids],
      );
      for (const s of r.rows) serviceLinks[s.id] = `${origin.replace(/\/$/, '')}/${conv.lang}/services/${s.id}`;
    }
    const vars: RenderVars = { residentName: conv.contactName, agentName: firstName(agent.user.name), reference: conv.number, serviceLinks };
    return list.map((c) => ({
      id: c.id,
      shortcut: c.shortcut,
      title: pick(c.titles, conv.lang).text,
      text: renderCanned(pick(c.bodies, conv.lang).text, vars),
    }));
  }

  private async checkTeam(q: Queryable, tenantId: string, teamId: string | null) {
    if (!teamId) return;
    const r = await q.query('select 1 from inbox_teams where tenant_id = $1 and id = $2', [tenantId, teamId]);
    if (!r.rows.length) throw new AppError('validation_failed', 400, { fields: { teamId: 'unknown' } });
  }

  private async checkShortcut(q: Queryable, tenantId: string, shortcut: string, exceptId: string | null) {
    const r = await q.query<{ id: string }>('select id from inbox_canned_responses where tenant_id = $1 and shortcut = $2', [tenantId, shortcut]);
    if (r.rows[0] && r.rows[0].id !== exceptId) throw new AppError('conflict', 409, { fields: { shortcut: 'taken' } });
  }
}

/** What residents see of an agent: the first name only. */
export function firstName(name: string | null | undefined): string {
  return (name ?? '').trim().split(/\s+/)[0] ?? '';
}
