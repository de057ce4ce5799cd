import type { Actor, StaffUser } from '../../src/modules/identity/actor.ts';
import { randomToken } from '../../src/platform/crypto.ts';
import { hostFetch, type TestApp } from './app.ts';

export interface StaffSession {
  /** Value for the Cookie header: the session and the CSRF cookie. */
  cookie: string;
  /** The CSRF token: send as x-csrf-token (API) or the _csrf form field (pages). */
  csrf: string;
  userId: string;
  tenantId: string;
  /** Headers for a cookie-authenticated JSON API call (cookie, CSRF, content type). */
  json: Record<string, string>;
  /** Headers for a form post to a page (cookie, form content type); add _csrf to the body. */
  form: Record<string, string>;
}

/**
 * Signs a staff member in without the sign-in page: a session row straight through
 * SessionService, plus a CSRF cookie the test chooses. The user must exist and be active
 * in the tenant that the host resolves to.
 */
export async function signInAs(app: TestApp, host: string, email: string): Promise<StaffSession> {
  const { services } = app;
  const tenant = await services.tenancy.resolveByHost(host);
  if (!tenant) throw new Error(`signInAs: no tenant for host ${host}`);
  const r = await services.db.query<{ id: string }>('select id from staff_users where tenant_id = $1 and lower(email) = lower($2)', [
    tenant.id,
    email,
  ]);
  const userId = r.rows[0]?.id;
  if (!userId) throw new Error(`signInAs: no staff user ${email} in ${tenant.slug}`);
  const token = await services.sessions.create(services.db, { tenantId: tenant.id, staffUserId: userId, method: 'password' });
  const csrf = randomToken(24);
  const cookie = `aukio_session=${token}; aukio_csrf=${csrf}`;
  return {
    cookie,
    csrf,
    userId,
    tenantId: tenant.id,
    json: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
    form: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  };
}

/** URL-encodes a form body, adding the CSRF field. */
export function formBody(session: Pick<StaffSession, 'csrf'>, fields: Record<string, string>): string {
  return new URLSearchParams({ _csrf: session.csrf, ...fields }).toString();
}

export type FormFields = Record<string, string | string[]>;

/**
 * A signed-in staff member as a small HTTP client on the tenant's host: page GETs,
 * cookie-authenticated JSON API calls (CSRF header unless { csrf: false }), and form posts
 * with the _csrf field (repeated names for string[] values, e.g. checkboxes).
 */
export async function staffClient(app: TestApp, host: string, email: string) {
  const s = await signInAs(app, host, email);
  const f = hostFetch(app, host);
  return {
    ...s,
    get: (path: string) => f(path, { headers: { cookie: s.cookie } }),
    api: (method: string, path: string, body?: unknown, opts: { csrf?: boolean } = {}) =>
      f(path, {
        method,
        headers: {
          cookie: s.cookie,
          ...(opts.csrf === false ? {} : { 'x-csrf-token': s.csrf }),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      }),
    post: (path: string, fields: FormFields) => {
      const form = new URLSearchParams({ _csrf: s.csrf });
      for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) form.append(k, x);
      return f(path, { method: 'POST', headers: s.form, body: form.toString() });
    },
  };
}

/** A staff member as an Actor, read from the database, for calling services directly in tests. */
export async function staffActor(app: TestApp, tenantId: string, email: string): Promise<Actor> {
  const u = await app.services.db.query<{ id: string; name: string }>('select id, name from staff_users where tenant_id = $1 and email = $2', [tenantId, email]);
  const grants = await app.services.db.query<{ role: StaffUser['grants'][number]['role']; org_unit_id: string | null }>(
    'select role, org_unit_id from role_grants where user_id = $1',
    [u.rows[0].id],
  );
  return {
    kind: 'staff',
    sessionId: 'test',
    user: { id: u.rows[0].id, tenantId, email, name: u.rows[0].name, totpEnabled: false, grants: grants.rows.map((g) => ({ role: g.role, orgUnitId: g.org_unit_id })) },
  };
}
