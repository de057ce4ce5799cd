import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerBuild } from 'react-router';
import { ConfigError, loadConfig, type Config } from '../platform/config.ts';
import { createLogger } from '../platform/log.ts';
import { buildApp } from './app.ts';
import { apiRoutes } from './routes.ts';
import { seedDemo, DEMO_ACCOUNTS } from './seed.ts';
import { createServices, type Services } from './services.ts';
import { registerCatalogJobs, scheduleCatalogJobs } from '../modules/catalog/ptv-sync.ts';

/**
 * Composition root. One process kind: ROLE=web serves HTTP, ROLE=worker runs jobs,
 * ROLE=both (default) does both. All state is in the database, so any number of
 * instances can run side by side.
 */
export async function startAukio(config: Config, opts: { buildDir?: string; quiet?: boolean } = {}) {
  const log = createLogger(config.LOG_LEVEL);
  const services = await createServices(config, log);
  registerJobs(services);
  await services.jobs.start();
  await scheduleJobs(services);
  if (config.SEED_DEMO) await seedDemo(services);
  await services.events.start();

  const buildDir = resolve(opts.buildDir ?? 'build');
  const serverEntry = join(buildDir, 'server/index.js');
  let webBuild: ServerBuild | undefined;
  if (config.ROLE !== 'worker') {
    if (!existsSync(serverEntry)) throw new ConfigError(`The web app is not built: run "npm run build" (missing ${serverEntry})`);
    webBuild = (await import(pathToFileURL(serverEntry).href)) as ServerBuild;
  }
  const { app, drain } = await buildApp(services, { webBuild, clientDir: join(buildDir, 'client'), apiRoutes });
  if (config.ROLE !== 'web') await services.jobs.work();
  const address = config.ROLE === 'worker' ? null : await app.listen({ port: config.PORT, host: config.HOST });
  // Inbound e-mail: the SMTP listener where HTTP is served (it answers senders like a web
  // endpoint), IMAP polling where jobs run (background work); each is off unless configured.
  if (config.ROLE !== 'worker') await services.inboundMail.startSmtp();
  if (config.ROLE !== 'web') services.inboundMail.startImap();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      drain();
      await services.inboundMail.close();
      await app.close(); // stops accepting, waits for in-flight requests
      await services.newsletters.close(); // newsletter senders stop claiming and record what they sent
      await services.jobs.stop(config.SHUTDOWN_GRACE_SECONDS); // lets running jobs finish
      await services.events.stop();
      await services.db.close();
    })());
  return { app, services, address, port: address ? (app.server.address() as { port: number }).port : 0, stop };
}

export function registerJobs(services: Services) {
  services.jobs.define({
    name: 'sessions.purge',
    priority: 'bulk',
    handler: async () => {
      await services.sessions.purgeExpired();
      await services.staffAuth.purgeExpired();
    },
  });
  registerCatalogJobs(services);
  services.jobs.define({
    name: 'feedback.purge',
    priority: 'bulk',
    handler: async () => {
      await services.feedback.purgeExpiredKeys();
    },
  });
  services.jobs.define({
    name: 'inbox.purge',
    priority: 'bulk',
    handler: async () => {
      await services.chat.purgeUnsentUploads();
    },
  });
  services.jobs.define({
    name: 'inbox.wake',
    priority: 'urgent',
    handler: async () => {
      await services.conversations.wakeSnoozed();
    },
  });
  services.jobs.define({
    name: 'inbox.presence',
    priority: 'urgent',
    handler: async () => {
      await services.agentPresence.housekeeping();
    },
  });
}

/** Housekeeping that runs on the clock, whichever instance's worker is free. */
export async function scheduleJobs(services: Services) {
  // Hourly: expired sessions, old throttle rows and dead one-time links.
  await services.jobs.schedule('sessions.purge', '17 * * * *', { tenantId: 'system' });
  // Nightly (PTV_SYNC_CRON): one PTV sync job per tenant that has the sync on.
  await scheduleCatalogJobs(services);
  // Hourly: feedback submission keys and rate counters past their windows.
  await services.jobs.schedule('feedback.purge', '23 * * * *', { tenantId: 'system' });
  // Every minute: snoozed inbox conversations whose time has come reopen.
  await services.jobs.schedule('inbox.wake', '* * * * *', { tenantId: 'system' });
  // Hourly: chat and agent uploads that no message took within a day.
  await services.jobs.schedule('inbox.purge', '41 * * * *', { tenantId: 'system' });
  // Every minute: silent agents go offline; waiting conversations go to agents with room.
  await services.jobs.schedule('inbox.presence', '* * * * *', { tenantId: 'system' });
  // Every minute: scheduled news and lapsed embargoes are published (each also has its own job at its moment).
  await services.jobs.schedule('newsroom.release', '* * * * *', { tenantId: 'system' });
  // Newsletter digests on Helsinki mornings: daily at 7.00, weekly on Mondays at 7.00.
  await services.jobs.schedule('newsletters.digest-daily', '0 7 * * *', { tenantId: 'system' });
  await services.jobs.schedule('newsletters.digest-weekly', '5 7 * * 1', { tenantId: 'system' });
  // Every minute: newsletter sends whose process died are picked up again.
  await services.jobs.schedule('newsletters.sweep', '* * * * *', { tenantId: 'system' });
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
  try {
    const running = await startAukio(config);
    const base = `http://localhost:${running.port}`;
    if (config.SEED_DEMO) {
      console.log(
        [
          '',
          `Aukio is running (${running.services.db.engine}${config.DATABASE_URL ? '' : `, data in ${config.DATA_DIR}`}).`,
          `  Esimerkkilä:  ${base.replace('localhost', 'esimerkkila.localhost')}/fi   (also ${base}/fi)`,
          `  Järvikylä:    ${base.replace('localhost', 'jarvikyla.localhost')}/fi`,
          `  Staff console: ${base}/fi/staff`,
          '  Demo staff accounts (password for all: ' + DEMO_ACCOUNTS.password + '):',
          ...DEMO_ACCOUNTS.staff.map((a) => `    ${a.email.padEnd(32)} ${a.roles}`),
          '  Demo residents: sign in through the development identity provider (test persons listed there).',
          '',
        ].join('\n'),
      );
    } else {
      console.log(`Aukio is running on ${base}`);
    }
    let signals = 0;
    const onSignal = async (sig: string) => {
      if (signals++ > 0) process.exit(1);
      running.services.log.info({ sig }, 'shutting down');
      const timer = setTimeout(() => process.exit(1), (config.SHUTDOWN_GRACE_SECONDS + 5) * 1000);
      timer.unref();
      await running.stop();
      process.exit(0);
    };
    process.on('SIGTERM', () => void onSignal('SIGTERM'));
    process.on('SIGINT', () => void onSignal('SIGINT'));
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    const err = e as { code?: string; message?: string };
    if (err.code === 'EADDRINUSE') {
      console.error(`Port ${config.PORT} is already in use: set PORT to another value`);
      process.exit(1);
    }
    console.error(`Aukio failed to start: ${err.message ?? String(e)}`);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
