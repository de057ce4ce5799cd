import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has embedded defaults that need no configuration', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.SEED_DEMO).toBe(true);
    expect(c.DEV_IDP).toBe(true);
    expect(c.COOKIE_SECURE).toBe(false);
    // Only a proxy on this machine may speak for the client's address by default.
    expect(c.TRUST_PROXY).toEqual(['loopback']);
    expect(c.DB_POOL_MAX).toBe(10);
    expect(c.MAP_TILE_URL).toContain('{z}');
    expect(c.FEEDBACK_RATE_PER_IP_HOUR).toBe(20);
  });

  it('refuses a pool size of zero with one line naming it', () => {
    expect(() => loadConfig({ DB_POOL_MAX: '0' })).toThrow(/^Invalid configuration: DB_POOL_MAX="0" /);
  });

  it('turns demo data and the development IdP off in production', () => {
    const c = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
    expect(c.SEED_DEMO).toBe(false);
    expect(c.DEV_IDP).toBe(false);
    expect(c.COOKIE_SECURE).toBe(true);
  });

  it('reads TRUST_PROXY as a flag or a list of addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '192.0.2.1']);
  });

  it('stops on a bad value with one line naming the variable', () => {
    const bad: Record<string, string>[] = [
      { PORT: 'abc' },
      { DATABASE_URL: 'mysql://x' },
      { TRUST_PROXY: 'everyone' },
      { EMAIL_ADAPTER: 'smtp' },
      { NODE_ENV: 'production' },
    ];
    for (const env of bad) {
      let err: unknown;
      try {
        loadConfig(env);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message.split('\n')).toHaveLength(1);
      const name = Object.keys(env)[0] === 'EMAIL_ADAPTER' ? 'SMTP_URL' : Object.keys(env)[0] === 'NODE_ENV' ? 'SESSION_SECRET' : Object.keys(env)[0];
      expect(message).toContain(name);
    }
  });
});

describe('loadConfig: inbound e-mail', () => {
  it('has inbound mail off by default and reads the listener and IMAP settings', () => {
    const off = loadConfig({});
    expect(off.INBOUND_SMTP_PORT).toBeUndefined();
    expect(off.IMAP_URL).toBeUndefined();
    expect(off.INBOUND_SMTP_HOST).toBe('127.0.0.1');
    expect(off.INBOUND_MAX_BYTES).toBe(15 * 1024 * 1024);
    expect(off.IMAP_POLL_SECONDS).toBe(60);
    expect(off.INBOX_FROM_TEAM_ADDRESS).toBe(false);
    const on = loadConfig({ INBOUND_SMTP_PORT: '0', IMAP_URL: 'imaps://neuvonta%40kunta.fi:salasana@mail.kunta.fi:993/INBOX', INBOX_FROM_TEAM_ADDRESS: 'true' });
    expect(on.INBOUND_SMTP_PORT).toBe(0);
    expect(on.INBOX_FROM_TEAM_ADDRESS).toBe(true);
  });

  it('refuses half a pair, a bad IMAP URL and a too short poll interval, without printing secrets', () => {
    expect(() => loadConfig({ INBOUND_SMTP_USER: 'relay' })).toThrow(/^Invalid configuration: INBOUND_SMTP_PASSWORD is required with INBOUND_SMTP_USER$/);
    expect(() => loadConfig({ IMAP_URL: 'imaps://mail.kunta.fi' })).toThrow(/^Invalid configuration: IMAP_URL must look like/);
    expect(() => loadConfig({ IMAP_URL: 'https://u:salainen@x' })).not.toThrow(/salainen/);
    expect(() => loadConfig({ IMAP_POLL_SECONDS: '1' })).toThrow(/IMAP_POLL_SECONDS/);
    expect(() => loadConfig({ INBOUND_SMTP_PORT: '70000' })).toThrow(/INBOUND_SMTP_PORT/);
  });
});
