import type { AuditService } from '../audit/audit.ts';
import type { NewsroomService } from '../newsroom/items.ts';
import type { TenancyService } from '../tenancy/tenants.ts';
import type { Mailer } from '../../server/services.ts';
import type { EmailAdapter } from '../../adapters/email/email.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { pick, type Lang } from '../../platform/i18n.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { Logger } from '../../platform/log.ts';
import type { MailFrame } from './render.ts';
import { LinkTokens } from './tokens.ts';

export const FREQUENCIES = ['instant', 'daily', 'weekly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export interface NewsletterConfig {
  publicUrl?: string;
  sessionSecret: string;
  emailFrom: string;
  emailAdapter: 'smtp' | 'capture';
  smtpUrl?: string;
  ratePerSecond: number;
  smtpConnections: number;
  /** Subscribe requests per IP address and per e-mail address per hour. */
  subscribePerIpHour: number;
  subscribePerEmailHour: number;
}

export interface NewsletterDeps {
  db: Db;
  audit: AuditService;
  tenancy: TenancyService;
  newsroom: NewsroomService;
  jobs: JobQueue;
  mail: Mailer;
  email: EmailAdapter;
  clock: Clock;
  log: Logger;
  config: NewsletterConfig;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function makeTokens(config: NewsletterConfig) {
  return new LinkTokens(config.sessionSecret);
}

/** The domain of EMAIL_FROM: Message-IDs and the VERP bounce addresses use it. */
export function mailDomain(emailFrom: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(emailFrom);
  return (m?.[1] ?? 'localhost').toLowerCase();
}

/** Where links in a subscriber's mail point: PUBLIC_URL for the tenant's host, else where they subscribed. */
export async function mailFrame(d: Pick<NewsletterDeps, 'tenancy' | 'config'>, q: Queryable, tenantId: string, lang: Lang, subscriberOrigin: string): Promise<MailFrame> {
  const tenant = await d.tenancy.get(tenantId, q);
  const origin = d.config.publicUrl ? d.config.publicUrl.replace('{host}', tenant.hostnames[0] ?? 'localhost').replace(/\/$/, '') : subscriberOrigin.replace(/\/$/, '');
  return { org: pick(tenant.names, lang).text, origin };
}

export const unsubscribeUrl = (origin: string, token: string) => `${origin}/unsubscribe/${token}`;
export const preferencesUrl = (origin: string, lang: Lang, token: string) => `${origin}/${lang}/subscriptions/${token}`;
export const confirmUrl = (origin: string, lang: Lang, token: string) => `${origin}/${lang}/subscribe/confirm/${token}`;
export const openPixelUrl = (origin: string, token: string) => `${origin}/newsletter-open/${token}.gif`;
