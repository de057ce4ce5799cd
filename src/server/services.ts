import { CaptureEmailAdapter } from '../adapters/email/capture.ts';
import type { EmailAdapter, EmailMessage } from '../adapters/email/email.ts';
import { SmtpEmailAdapter } from '../adapters/email/smtp.ts';
import { AuditService } from '../modules/audit/audit.ts';
import { ApiTokenService } from '../modules/identity/api-tokens.ts';
import { JobAdminService } from '../modules/operations/jobs.ts';
import { OutboxService } from '../modules/operations/outbox.ts';
import { TENANCY_CHANNEL, TenantSettingsService } from '../modules/tenancy/settings.ts';
import { SessionService } from '../modules/identity/sessions.ts';
import { TenancyService } from '../modules/tenancy/tenants.ts';
import type { Config } from '../platform/config.ts';
import { openDb, type Db, type Queryable } from '../platform/db.ts';
import { EventBus } from '../platform/events.ts';
import { JobQueue } from '../platform/jobs.ts';
import type { Logger } from '../platform/log.ts';
import { migrate } from '../platform/migrate.ts';

/**
 * The composition root's object graph. Route handlers and React Router loaders reach
 * every module through this (passed as load context), never by importing modules, so
 * the server and the web bundle share one instance of each service.
 */
export interface Services {
  config: Config;
  log: Logger;
  db: Db;
  tenancy: TenancyService;
  audit: AuditService;
  sessions: SessionService;
  jobs: JobQueue;
  events: EventBus;
  email: EmailAdapter;
  mail: Mailer;
  apiTokens: ApiTokenService;
  tenantSettings: TenantSettingsService;
  jobAdmin: JobAdminService;
  outbox: OutboxService;
}

/** Sends e-mail through the job queue so a send is retried and never lost with a crash. */
export class Mailer {
  constructor(
    private jobs: JobQueue,
    readonly adapter: EmailAdapter,
  ) {
    jobs.define<EmailMessage & { tenantId: string; [key: string]: unknown }>({
      name: 'email.send',
      priority: 'urgent',
      retryLimit: 8,
      handler: async (m) => {
        await adapter.send(m);
      },
    });
  }

  /** Enqueues the message in the caller's transaction. */
  async enqueue(tx: Queryable, m: EmailMessage) {
    await this.jobs.enqueue(tx, 'email.send', { ...m });
  }
}

export async function createServices(config: Config, log: Logger, opts: { db?: Db } = {}): Promise<Services> {
  const db = opts.db ?? (await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR }));
  await migrate(db);
  const jobs = new JobQueue(db, log);
  const email: EmailAdapter =
    config.EMAIL_ADAPTER === 'smtp' ? new SmtpEmailAdapter(db, config.SMTP_URL!, config.EMAIL_FROM) : new CaptureEmailAdapter(db);
  // The console's admin services are built on the core ones (one audit, tenancy and bus).
  const core: Omit<Services, 'apiTokens' | 'tenantSettings' | 'jobAdmin' | 'outbox'> = {
    config,
    log,
    db,
    tenancy: new TenancyService(db, config.DEFAULT_TENANT),
    audit: new AuditService(db),
    sessions: new SessionService(db, config.SESSION_TTL_MINUTES),
    jobs,
    events: new EventBus(db),
    email,
    mail: new Mailer(jobs, email),
  };
  const services: Services = {
    ...core,
    apiTokens: new ApiTokenService(db, core.audit),
    tenantSettings: new TenantSettingsService(db, core.tenancy, core.audit, core.events),
    jobAdmin: new JobAdminService(db, jobs, core.audit),
    outbox: new OutboxService(db, core.audit),
  };
  // A settings change on any instance drops every instance's tenant cache.
  services.events.subscribe([TENANCY_CHANNEL], () => services.tenancy.invalidate());
  return services;
}
