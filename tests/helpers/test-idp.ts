import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';

export interface TestAccount {
  sub: string;
  email: string;
  emailVerified: boolean;
}

/**
 * A real OpenID Provider (oidc-provider) on 127.0.0.1 for end-to-end tests of staff OIDC
 * sign-in. Its login page is replaced by an interaction that signs in `nextAccount`
 * without a form, so a test can walk the redirects with plain HTTP.
 */
export async function startTestIdp(opts: { clientId: string; clientSecret: string; redirectUris: string[] }) {
  const accounts = new Map<string, TestAccount>();
  const state: { nextAccount: TestAccount | null } = { nextAccount: null };
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, sub: string) => {
      const a = accounts.get(sub);
      if (!a) return undefined;
      return { accountId: sub, claims: () => ({ sub, email: a.email, email_verified: a.emailVerified }) };
    },
    cookies: { keys: ['test-cookie-key-not-secret'] },
    // A fresh signing key per run (the provider's built-in development keys print a warning).
    jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'test' }] },
  });
  provider.on('server_error', () => {});
  const handler = provider.callback();
  server.on('request', async (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      try {
        const details = await provider.interactionDetails(req, res);
        const account = state.nextAccount!;
        accounts.set(account.sub, account);
        const grant = new provider.Grant({ accountId: account.sub, clientId: details.params.client_id });
        grant.addOIDCScope('openid email');
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { login: { accountId: account.sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
      } catch (e) {
        res.statusCode = 500;
        res.end(String(e));
      }
      return;
    }
    handler(req, res);
  });
  return {
    issuer,
    signInAs(a: TestAccount) {
      state.nextAccount = a;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
