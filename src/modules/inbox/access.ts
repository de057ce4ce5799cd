import type { Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { hasRole, requireStaff } from '../identity/access.ts';
import type { Actor, StaffUser } from '../identity/actor.ts';
import type { Conversation } from './model.ts';

/**
 * Who works in the inbox: customer-service staff (and tenant admins) see every team's
 * conversations; other staff see those of the teams they are members of, and the ones
 * assigned to them.
 */
export interface Agent {
  user: StaffUser;
  /** Teams the agent is a member of. */
  teamIds: string[];
  /** Sees every team's conversations (customer_service or tenant_admin). */
  allTeams: boolean;
}

export async function requireAgent(q: Queryable, tenantId: string, actor: Actor): Promise<Agent> {
  const user = requireStaff(actor);
  if (user.tenantId !== tenantId) throw new AppError('forbidden', 403);
  const r = await q.query<{ team_id: string }>('select team_id from inbox_team_members where tenant_id = $1 and staff_user_id = $2', [
    tenantId,
    user.id,
  ]);
  const allTeams = hasRole(user, 'customer_service');
  if (!allTeams && r.rows.length === 0) throw new AppError('forbidden', 403);
  return { user, teamIds: r.rows.map((x) => x.team_id), allTeams };
}

export function canSeeConversation(agent: Agent, c: Conversation): boolean {
  return agent.allTeams || c.assigneeId === agent.user.id || (c.teamId !== null && agent.teamIds.includes(c.teamId));
}
