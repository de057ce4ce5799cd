import { z } from 'zod';
import type { ApiRoutes } from '../../server/app.ts';
import { sha256 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { parse } from '../../platform/validation.ts';

const SESSION_COOKIE = 'aukio_session';

const signInBody = z.object({
  email: z.string().max(320),
  password: z.string().max(500),
  /** Required when the account has TOTP enabled. */
  totpCode: z.string().max(10).optional(),
});

/**
 * Cookie sessions for API clients (the console's own scripts, tools). Like the pages,
 * these calls need the CSRF token in x-csrf-token, so a foreign site cannot sign a
 * browser in or out.
 */
export const staffAuthApi: ApiRoutes = (app, services) => {
  app.post('/api/v1/auth/staff/sign-in', async (req, reply) => {
    const ctx = req.aukio;
    const body = parse(signInBody, req.body);
    const auth = services.staffAuth;
    const result = await auth.signInWithPassword({ tenantId: ctx.tenant.id, email: body.email, password: body.password, ip: ctx.ip });
    let token = result.token;
    if (result.pendingSecondFactor) {
      const sessionId = sha256(result.token);
      try {
        if (!body.totpCode) throw new AppError('invalid_code', 401, { secondFactorRequired: true });
        token = (await auth.completeSecondFactor({ tenantId: ctx.tenant.id, sessionId, user: result.user, code: body.totpCode, ip: ctx.ip })).token;
      } catch (e) {
        // An API client gets a session only with both factors; no half-signed-in leftovers.
        await services.sessions.destroy(ctx.tenant.id, sessionId);
        if (e instanceof AppError && e.code === 'invalid_code') throw new AppError('invalid_code', 401, { secondFactorRequired: true });
        throw e;
      }
    }
    // A session this client held before ends with the new sign-in.
    const previous = req.cookies[SESSION_COOKIE];
    if (previous && previous.length <= 100) await services.sessions.destroy(ctx.tenant.id, sha256(previous));
    reply.header('set-cookie', ctx.cookies.session(token));
    const u = result.user;
    return { user: { id: u.id, name: u.name, email: u.email, roles: [...new Set(u.grants.map((g) => g.role))] } };
  });

  app.post('/api/v1/auth/sign-out', async (req, reply) => {
    const ctx = req.aukio;
    const token = req.cookies[SESSION_COOKIE];
    if (token && token.length <= 100) await services.staffAuth.signOut(ctx.tenant.id, sha256(token), ctx.actor, ctx.ip);
    reply.header('set-cookie', ctx.cookies.clearSession());
    return reply.code(204).send();
  });
};
