import type { Db, Queryable } from '../../platform/db.ts';
import { PRESENCE_FRESH_SECONDS, type ConversationService } from './conversations.ts';
import type { Presence } from './model.ts';

/**
 * Agents' presence and the queue drain of round-robin. The core's autoAssign picks the
 * online team member with free capacity who was given a conversation longest ago; this
 * file decides *when* to run it besides a new hand-off: when an agent comes online, when
 * an agent frees capacity (resolve, snooze, transfer, unassign), and once a minute.
 */

export interface PresenceState {
  status: Presence;
  capacity: number;
  /** Open conversations assigned to the agent (what capacity counts). */
  openCount: number;
  lastSeenAt: string | null;
}

/** How many conversations one drain gives out at most (a guard, not a business rule). */
const DRAIN_MAX = 200;

export class AgentPresenceService {
  constructor(
    private db: Db,
    private conversations: ConversationService,
  ) {}

  async get(q: Queryable, tenantId: string, staffUserId: string): Promise<PresenceState> {
    const r = await q.query<{ status: Presence; capacity: number; last_seen_at: Date | string; fresh: boolean }>(
      `select status, capacity, last_seen_at, last_seen_at > now() - make_interval(secs => $3) as fresh
         from inbox_agents where tenant_id = $1 and staff_user_id = $2`,
      [tenantId, staffUserId, PRESENCE_FRESH_SECONDS],
    );
    const open = await q.query<{ n: number }>(
      `select count(*)::int as n from inbox_conversations where tenant_id = $1 and assignee_id = $2 and status = 'open'`,
      [tenantId, staffUserId],
    );
    const row = r.rows[0];
    return {
      status: row ? row.status : 'offline',
      capacity: row ? row.capacity : 5,
      openCount: open.rows[0].n,
      lastSeenAt: row ? new Date(row.last_seen_at).toISOString() : null,
    };
  }

  /**
   * Sets the agent's presence (and capacity). Coming online refreshes last_seen_at and
   * hands out the waiting conversations of the agent's teams while anyone has room.
   */
  async set(tx: Queryable, tenantId: string, staffUserId: string, status: Presence, capacity?: number): Promise<number> {
    await tx.query(
      `insert into inbox_agents (tenant_id, staff_user_id, status, capacity, last_seen_at) values ($1, $2, $3, coalesce($4::int, 5), now())
       on conflict (tenant_id, staff_user_id) do update set status = $3, capacity = coalesce($4::int, inbox_agents.capacity), last_seen_at = now()`,
      [tenantId, staffUserId, status, capacity ?? null],
    );
    if (status !== 'online') return 0;
    const teams = await tx.query<{ team_id: string }>('select team_id from inbox_team_members where tenant_id = $1 and staff_user_id = $2', [
      tenantId,
      staffUserId,
    ]);
    let assigned = 0;
    for (const t of teams.rows) assigned += await this.drainTeam(tx, tenantId, t.team_id);
    return assigned;
  }

  /**
   * Gives the team's oldest pending conversations to free online agents, one at a time,
   * until nobody has room or the queue is empty. Returns how many were assigned.
   */
  async drainTeam(tx: Queryable, tenantId: string, teamId: string | null): Promise<number> {
    if (!teamId) return 0;
    const team = await this.conversations.team(tx, tenantId, teamId);
    if (!team || !team.autoAssign || !team.active) return 0;
    const pending = await tx.query<{ id: string }>(
      `select id from inbox_conversations
        where tenant_id = $1 and team_id = $2 and status = 'pending' and assignee_id is null
        order by coalesce(handed_off_at, created_at), number limit ${DRAIN_MAX}`,
      [tenantId, teamId],
    );
    let assigned = 0;
    for (const c of pending.rows) {
      const done = await this.conversations.autoAssign(tx, tenantId, c.id);
      if (!done) break;
      assigned++;
    }
    return assigned;
  }

  /**
   * The minute job: agents whose inbox stream went silent for 90 s are offline, and every
   * team queue with waiting conversations is drained (someone may have freed capacity on
   * another instance, or come back).
   */
  async housekeeping(): Promise<{ wentOffline: number; assigned: number }> {
    const stale = await this.db.query(
      `update inbox_agents set status = 'offline' where status <> 'offline' and last_seen_at < now() - make_interval(secs => $1)`,
      [PRESENCE_FRESH_SECONDS],
    );
    const queues = await this.db.query<{ tenant_id: string; team_id: string }>(
      `select distinct c.tenant_id, c.team_id from inbox_conversations c join inbox_teams t on t.tenant_id = c.tenant_id and t.id = c.team_id
        where c.status = 'pending' and c.assignee_id is null and t.auto_assign and t.active limit 1000`,
    );
    let assigned = 0;
    for (const q of queues.rows) assigned += await this.db.transaction((tx) => this.drainTeam(tx, q.tenant_id, q.team_id));
    return { wentOffline: stale.rowCount ?? 0, assigned };
  }
}
