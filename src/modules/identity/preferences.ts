import { z } from 'zod';
import type { ApiRoutes } from '../../server/app.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { userChannel, type EventBus } from '../../platform/events.ts';
import { LANGUAGES, type Lang } from '../../platform/i18n.ts';
import type { Actor } from './actor.ts';

/** The person behind a session: the only actors that have preferences of their own. */
type Person = Extract<Actor, { kind: 'staff' } | { kind: 'resident' }>;

function requirePerson(actor: Actor): Person {
  if (actor.kind === 'staff' || actor.kind === 'resident') return actor;
  if (actor.kind === 'anonymous') throw new AppError('unauthenticated', 401);
  // An integration token is not a person and has no language of its own.
  throw new AppError('forbidden', 403);
}

export interface Preferences {
  /** The language e-mails and notifications use; null = the tenant's default. */
  preferredLanguage: Lang | null;
}

/**
 * A signed-in person's own settings. Changing them is not an admin change, so it is
 * not audited; other open tabs of the same person learn of it through their user channel.
 */
export class PreferencesService {
  constructor(
    private db: Db,
    private events: EventBus,
  ) {}

  async get(tenantId: string, actor: Actor, q: Queryable = this.db): Promise<Preferences> {
    const p = requirePerson(actor);
    const r =
      p.kind === 'staff'
        ? await q.query<{ preferred_language: Lang | null }>(
            'select preferred_language from staff_users where tenant_id = $1 and id = $2',
            [tenantId, p.user.id],
          )
        : await q.query<{ preferred_language: Lang | null }>(
            'select preferred_language from residents where tenant_id = $1 and id = $2',
            [tenantId, p.resident.id],
          );
    if (!r.rows[0]) throw new AppError('not_found', 404);
    return { preferredLanguage: r.rows[0].preferred_language };
  }

  async update(tenant: { id: string; languages: readonly Lang[] }, actor: Actor, patch: Preferences): Promise<Preferences> {
    const p = requirePerson(actor);
    if (patch.preferredLanguage && !tenant.languages.includes(patch.preferredLanguage)) {
      throw new AppError('validation_failed', 400, { fields: { preferredLanguage: 'not_enabled' } });
    }
    const id = p.kind === 'staff' ? p.user.id : p.resident.id;
    return this.db.transaction(async (tx) => {
      const table = p.kind === 'staff' ? 'staff_users' : 'residents';
      const r = await tx.query(`update ${table} set preferred_language = $3 where tenant_id = $1 and id = $2`, [
        tenant.id,
        id,
        patch.preferredLanguage,
      ]);
      if (r.rowCount === 0) throw new AppError('not_found', 404);
      await this.events.publish(tx, {
        channel: userChannel(tenant.id, id),
        type: 'preferences.changed',
        data: { preferredLanguage: patch.preferredLanguage },
      });
      return { preferredLanguage: patch.preferredLanguage };
    });
  }
}

const PreferencesBody = z.strictObject({
  preferredLanguage: z.enum(LANGUAGES).nullable(),
});

/** GET and PATCH /api/v1/me/preferences for the signed-in staff member or resident. */
export const preferencesApi: ApiRoutes = (app, services) => {
  const prefs = new PreferencesService(services.db, services.events);
  app.get('/api/v1/me/preferences', async (req) => prefs.get(req.aukio.tenant.id, req.aukio.actor));
  app.patch('/api/v1/me/preferences', async (req) => {
    requirePerson(req.aukio.actor);
    const body = PreferencesBody.parse(req.body);
    return prefs.update(req.aukio.tenant, req.aukio.actor, body);
  });
};
