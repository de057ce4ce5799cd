import { z } from 'zod';
import { SmtpEmailAdapter } from '../../adapters/email/smtp.ts';
import type { EmailAdapter } from '../../adapters/email/email.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { LANGUAGES, type Lang, type Localized } from '../../platform/i18n.ts';
import { isUuid, parse } from '../../platform/validation.ts';
import type { Actor } from '../identity/actor.ts';
import { requireNewsEditor } from '../newsroom/items.ts';
import type { NewsItem } from '../newsroom/model.ts';
import { FREQUENCIES, mailDomain, mailFrame, makeTokens, normalizeEmail, openPixelUrl, preferencesUrl, unsubscribeUrl, type NewsletterDeps } from './common.ts';
import { personalize, renderTemplate, unsubscribeHeaders } from './render.ts';
import { NewsletterSender, type SenderOptions } from './sender.ts';

/**
 * Campaigns (composed by communications staff), instant notifications and digests (made
 * by jobs from newsroom publications), their sending, progress, bounces and reports, and
 * the staff views of subscribers.
 */

const localized = (max: number) =>
  z.strictObject({ fi: z.string().trim().max(max, { message: 'too_long' }).optional(), sv: z.string().trim().max(max, { message: 'too_long' }).optional(), en: z.string().trim().max(max, { message: 'too_long' }).optional() });

export const campaignInput = z.strictObject({
  subjects: localized(200),
  intros: localized(10_000),
  itemIds: z.array(z.string().refine(isUuid, { message: 'invalid_id' })).max(30, { message: 'too_many' }),
  segmentTopics: z.array(z.string().max(100)).max(50, { message: 'too_many' }),
  segmentLanguages: z.array(z.enum(LANGUAGES, { message: 'invalid_language' })),
  /** Messages per second for this campaign; null = the configured default; 0 = unthrottled. */
  ratePerSecond: z.number({ message: 'invalid_type' }).min(0, { message: 'too_small' }).max(100_000, { message: 'too_big' }).nullable(),
});
export type CampaignInput = z.input<typeof campaignInput>;

export const testSendInput = z.strictObject({ email: z.email({ message: 'invalid_email' }), language: z.enum(LANGUAGES, { message: 'invalid_language' }) });

export type CampaignState = 'draft' | 'sending' | 'paused' | 'done';

export interface Campaign {
  id: string;
  kind: 'campaign' | 'notification' | 'digest';
  state: CampaignState;
  subjects: Localized;
  intros: Localized;
  itemIds: string[];
  segmentTopics: string[];
  segmentLanguages: Lang[];
  ratePerSecond: number | null;
  openTracking: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface CampaignProgress {
  total: number;
  pending: number;
  sending: number;
  sent: number;
  failed: number;
  unknown: number;
  remaining: number;
  /** Messages per second the send has made so far (null before the first). */
  observedRate: number | null;
  /** Seconds until done at the observed (or configured) rate; null when unknown or done. */
  etaSeconds: number | null;
}

export interface CampaignReport extends CampaignProgress {
  hardBounces: number;
  softBounces: number;
  unsubscribes: number;
  durationSeconds: number | null;
  /** Only when the campaign was sent with open tracking on. */
  opens: number | null;
}

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

function campaignFromRow(r: Record<string, any>): Campaign {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    subjects: r.subjects ?? {},
    intros: r.intros ?? {},
    itemIds: r.item_ids ?? [],
    segmentTopics: r.segment_topics ?? [],
    segmentLanguages: r.segment_languages ?? [],
    ratePerSecond: r.rate_per_second == null ? null : Number(r.rate_per_second),
    openTracking: r.open_tracking,
    createdAt: iso(r.created_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  };
}

const clean = (l: Localized): Localized => Object.fromEntries(Object.entries(l).filter(([, v]) => v && v.trim() !== ''));

/** Confirmed, not suppressed subscribers (alias s) of a tenant ($1). */
const DELIVERABLE = `s.tenant_id = $1 and s.status = 'confirmed'
  and not exists (select 1 from newsletter_suppressions x where x.tenant_id = s.tenant_id and x.email_norm = s.email_norm)`;

export class NewsletterService {
  private tokens;
  private bulkTransport: EmailAdapter | null = null;
  private running = new Map<NewsletterSender, Promise<unknown>>();

  constructor(private d: NewsletterDeps) {
    this.tokens = makeTokens(d.config);
    d.jobs.define<{ tenantId: string; campaignId: string }>({
      name: 'newsletters.send',
      priority: 'bulk',
      retryLimit: 20,
      handler: async ({ tenantId, campaignId }) => {
        const result = await this.runSender(campaignId);
        // A long send continues in a fresh job, so no job runs past the queue's expiry.
        if (result === 'continue' || result === 'waiting') {
          await d.jobs.enqueue(d.db, 'newsletters.send', { tenantId, campaignId }, { startAfter: new Date(Date.now() + (result === 'waiting' ? 20_000 : 0)) });
        }
      },
    });
    d.jobs.define<{ tenantId: string; itemId: string }>({
      name: 'newsletters.instant',
      priority: 'bulk',
      handler: async ({ tenantId, itemId }) => {
        await this.createNotification(tenantId, itemId);
      },
    });
    // One job per frequency: the queue keeps one cron schedule per job name.
    for (const frequency of ['daily', 'weekly'] as const) {
      d.jobs.define<{ tenantId: string }>({
        name: `newsletters.digest-${frequency}`,
        priority: 'bulk',
        handler: async () => {
          await this.runDigests(frequency);
        },
      });
    }
    d.jobs.define<{ tenantId: string }>({
      name: 'newsletters.sweep',
      priority: 'bulk',
      handler: async () => {
        await this.sweep();
      },
    });
    // Instant notifications: enqueued in the publishing transaction, sent by jobs later.
    d.newsroom.on('published', async (tx, item) => {
      if (item.audience !== 'public' || item.topics.length === 0) return;
      await d.jobs.enqueue(tx, 'newsletters.instant', { tenantId: item.tenantId, itemId: item.id });
    });
  }

  /** The transport of bulk sends: a pooled SMTP adapter (EMAIL_ADAPTER=smtp) or the capture outbox. */
  transport(): EmailAdapter {
    if (this.bulkTransport) return this.bulkTransport;
    const c = this.d.config;
    this.bulkTransport =
      c.emailAdapter === 'smtp' && c.smtpUrl ? new SmtpEmailAdapter(this.d.db, c.smtpUrl, c.emailFrom, { connections: c.smtpConnections }) : this.d.email;
    return this.bulkTransport;
  }

  /** A sender for this process (tests and the benchmark pass options). */
  sender(opts: SenderOptions = {}, transport: EmailAdapter = this.transport()) {
    return new NewsletterSender({ db: this.d.db, log: this.d.log, tenancy: this.d.tenancy, newsroom: this.d.newsroom, config: this.d.config, tokens: this.tokens, transport }, opts);
  }

  private async runSender(campaignId: string) {
    const s = this.sender();
    const run = s.run(campaignId);
    this.running.set(s, run);
    try {
      return await run;
    } finally {
      this.running.delete(s);
    }
  }

  /**
   * Shutdown: running senders stop claiming, finish and record the messages they handed
   * over, then the bulk connections close.
   */
  async close() {
    for (const s of this.running.keys()) s.stop();
    await Promise.allSettled(this.running.values());
    const t = this.bulkTransport;
    this.bulkTransport = null;
    if (t instanceof SmtpEmailAdapter) await t.close();
  }

  // ── settings ─────────────────────────────────────────────────────────────────────────

  async settings(tenantId: string, q: Queryable = this.d.db): Promise<{ openTracking: boolean }> {
    const r = await q.query<{ open_tracking: boolean }>('select open_tracking from newsletter_settings where tenant_id = $1', [tenantId]);
    return { openTracking: r.rows[0]?.open_tracking ?? false };
  }

  async saveSettings(actor: Actor, tenantId: string, body: unknown, ctx: { ip?: string } = {}) {
    requireNewsEditor(actor, tenantId);
    const input = parse(z.strictObject({ openTracking: z.boolean({ message: 'invalid_type' }) }), body);
    await this.d.db.transaction(async (tx) => {
      await tx.query(
        `insert into newsletter_settings (tenant_id, open_tracking, updated_at) values ($1, $2, now())
         on conflict (tenant_id) do update set open_tracking = excluded.open_tracking, updated_at = now()`,
        [tenantId, input.openTracking],
      );
      await this.d.audit.record(tx, tenantId, actor, { action: 'newsletter.settings', targetKind: 'tenant', targetId: tenantId, details: input, ip: ctx.ip });
    });
    return input;
  }

  // ── campaigns ────────────────────────────────────────────────────────────────────────

  async list(actor: Actor, tenantId: string, kind: Campaign['kind'] = 'campaign', limit = 50): Promise<(Campaign & { progress: CampaignProgress })[]> {
    requireNewsEditor(actor, tenantId);
    const r = await this.d.db.query(`select * from newsletter_campaigns where tenant_id = $1 and kind = $2 order by created_at desc limit $3`, [tenantId, kind, limit]);
    const out = [];
    for (const row of r.rows) out.push({ ...campaignFromRow(row), progress: await this.progress(row.id as string) });
    return out;
  }

  private async load(tenantId: string, id: string, q: Queryable = this.d.db): Promise<Campaign> {
    if (!isUuid(id)) throw new AppError('not_found', 404);
    const r = await q.query('select * from newsletter_campaigns where tenant_id = $1 and id = $2', [tenantId, id]);
    if (!r.rows[0]) throw new AppError('not_found', 404);
    return campaignFromRow(r.rows[0]);
  }

  async get(actor: Actor, tenantId: string, id: string): Promise<Campaign & { report: CampaignReport }> {
    requireNewsEditor(actor, tenantId);
    const c = await this.load(tenantId, id);
    return { ...c, report: await this.report(tenantId, id) };
  }

  private async checkInput(tenantId: string, body: unknown) {
    const input = parse(campaignInput, body);
    const topics = new Set((await this.d.newsroom.topics(tenantId)).map((t) => t.slug));
    if (input.segmentTopics.some((t) => !topics.has(t))) throw new AppError('validation_failed', 400, { fields: { segmentTopics: 'unknown_topic' } });
    const items = await this.publishedItems(tenantId, input.itemIds);
    if (items.length !== new Set(input.itemIds).size) throw new AppError('validation_failed', 400, { fields: { itemIds: 'not_published' } });
    if (Object.keys(clean(input.subjects)).length === 0) throw new AppError('validation_failed', 400, { fields: { subjects: 'required' } });
    if (items.length === 0 && Object.keys(clean(input.intros)).length === 0) throw new AppError('validation_failed', 400, { fields: { intros: 'required' } });
    return input;
  }

  private async publishedItems(tenantId: string, ids: string[]): Promise<NewsItem[]> {
    const out: NewsItem[] = [];
    for (const id of [...new Set(ids)]) {
      const item = await this.d.newsroom.load(tenantId, id);
      if (item && item.state === 'published' && item.audience === 'public') out.push(item);
    }
    return out;
  }

  /** Published public items to pick from when composing. */
  async pickableItems(actor: Actor, tenantId: string, lang: Lang) {
    requireNewsEditor(actor, tenantId);
    return (await this.d.newsroom.publicList(tenantId, { lang, limit: 50 })).items;
  }

  async create(actor: Actor, tenantId: string, body: unknown, ctx: { ip?: string } = {}): Promise<Campaign> {
    const user = requireNewsEditor(actor, tenantId);
    const input = await this.checkInput(tenantId, body);
    return this.d.db.transaction(async (tx) => {
      const r = await tx.query(
        `insert into newsletter_campaigns (tenant_id, kind, subjects, intros, item_ids, segment_topics, segment_languages, rate_per_second, created_by)
         values ($1, 'campaign', $2, $3, $4, $5, $6, $7, $8) returning *`,
        [tenantId, clean(input.subjects), clean(input.intros), input.itemIds, input.segmentTopics, input.segmentLanguages, input.ratePerSecond, user.id],
      );
      await this.d.audit.record(tx, tenantId, actor, { action: 'newsletter.create', targetKind: 'newsletter_campaign', targetId: r.rows[0].id as string, ip: ctx.ip });
      return campaignFromRow(r.rows[0]);
    });
  }

  async update(actor: Actor, tenantId: string, id: string, body: unknown, ctx: { ip?: string } = {}): Promise<Campaign> {
    requireNewsEditor(actor, tenantId);
    const input = await this.checkInput(tenantId, body);
    return this.d.db.transaction(async (tx) => {
      const c = await this.load(tenantId, id, tx);
      if (c.state !== 'draft') throw new AppError('conflict', 409, { reason: 'not_a_draft' });
      const r = await tx.query(
        `update newsletter_campaigns set subjects = $3, intros = $4, item_ids = $5, segment_topics = $6, segment_languages = $7, rate_per_second = $8
         where tenant_id = $1 and id = $2 returning *`,
        [tenantId, id, clean(input.subjects), clean(input.intros), input.itemIds, input.segmentTopics, input.segmentLanguages, input.ratePerSecond],
      );
      await this.d.audit.record(tx, tenantId, actor, { action: 'newsletter.update', targetKind: 'newsletter_campaign', targetId: id, ip: ctx.ip });
      return campaignFromRow(r.rows[0]);
    });
  }

  async remove(actor: Actor, tenantId: string, id: string, ctx: { ip?: string } = {}) {
    requireNewsEditor(actor, tenantId);
    await this.d.db.transaction(async (tx) => {
      const c = await this.load(tenantId, id, tx);
      if (c.state !== 'draft') throw new AppError('conflict', 409, { reason: 'not_a_draft' });
      await tx.query('delete from newsletter_campaigns where id = $1', [id]);
      await this.d.audit.record(tx, tenantId, actor, { action: 'newsletter.delete', targetKind: 'newsletter_campaign', targetId: id, ip: ctx.ip });
    });
  }

  /** How many subscribers the segment reaches now (the compose page shows it). */
  async segmentSize(tenantId: string, topics: string[], languages: string[], q: Queryable = this.d.db): Promise<number> {
    const r = await q.query<{ n: number }>(
      `select count(*)::int as n from newsletter_subscribers s where ${DELIVERABLE}
         and (cardinality($2::text[]) = 0 or s.topics && $2::text[]) and (cardinality($3::text[]) = 0 or s.language = any($3::text[]))`,
      [tenantId, topics, languages],
    );
    return r.rows[0].n;
  }

  /** The mail as a subscriber in `lang` would get it, with example links (preview and test send). */
  async preview(actor: Actor, tenantId: string, id: string, lang: Lang, origin: string) {
    requireNewsEditor(actor, tenantId);
    const c = await this.load(tenantId, id);
    const frame = await mailFrame(this.d, this.d.db, tenantId, lang, origin);
    const items = await this.publishedItems(tenantId, c.itemIds);
    const settings = await this.settings(tenantId);
    const t = renderTemplate(frame, { kind: c.kind, subjects: c.subjects, intros: c.intros }, items, lang, c.state === 'draft' ? settings.openTracking : c.openTracking);
    const example = '00000000-0000-4000-8000-000000000000';
    const unsub = unsubscribeUrl(frame.origin, this.tokens.make('unsub', example, id));
    const body = personalize(t, {
      unsubscribeUrl: unsub,
      preferencesUrl: preferencesUrl(frame.origin, lang, this.tokens.make('prefs', example)),
      pixelUrl: (c.state === 'draft' ? settings.openTracking : c.openTracking) ? openPixelUrl(frame.origin, this.tokens.make('open', example, id)) : undefined,
    });
    return { ...body, headers: unsubscribeHeaders(unsub, `<${c.kind}.${tenantId}.${mailDomain(this.d.config.emailFrom)}>`) };
  }

  /** A test send to one address, through the ordinary mail queue. */
  async testSend(actor: Actor, tenantId: string, id: string, body: unknown, ctx: { ip?: string; origin: string }) {
    const input = parse(testSendInput, body);
    const p = await this.preview(actor, tenantId, id, input.language, ctx.origin);
    await this.d.db.transaction(async (tx) => {
      await this.d.mail.enqueue(tx, { tenantId, to: input.email, subject: `[TEST] ${p.subject}`, text: p.text, html: p.html, headers: p.headers });
      await this.d.audit.record(tx, tenantId, actor, { action: 'newsletter.test_send', targetKind: 'newsletter_campaign', targetId: id, ip: ctx.ip });
    });
  }

  /** Starts the send: one recipient row per deliverable subscriber of the segment, then the sender job. */
  async start(actor: Actor, tenantId: string, id: string, ctx: { ip?: string } = {}): Promise<{ recipients: number }> {
    requireNewsEditor(actor, tenantId);
    return this.d.db.transaction(async (tx) => {
      const c = await this.load(tenantId, id, tx);
      if (c.state !== 'draft') throw new AppError('conflict', 409, { reason: 'not_a_draft' });
      const settings = await this.settings(tenantId, tx);
      const r = await tx.query(
        `insert into newsletter_recipients (campaign_id, subscriber_id, tenant_id, email, language)
         select $4, s.id, s.tenant_id, s.email, s.language from newsletter_subscribers s where ${DELIVERABLE}
           and (cardinality($2::text[]) = 0 or s.topics && $2::text[]) and (cardinality($3::text[]) = 0 or s.language = any($3::text[]))
         on conflict do nothing`,
        [tenantId, c.segmentTopics, c.segmentLanguages, id],
      );
      await tx.query(`update newsletter_campaigns set state = 'sending', started_at = now(), last_activity_at = now(), open_tracking = $2 where id = $1`, [
        id,
        settings.openTracking,
      ]);
      await this.d.jobs.enqueue(tx, 'newsletters.send', { tenantId, campaignId: id });
      await this.d.audit.record(tx, tenantId, actor, { action: 'newsletter.send', targetKind: 'newsletter_campaign', targetId: id, details: { recipients: r.rowCount }, ip: ctx.ip });
      return { recipients: r.rowCount };
    });
  }

  async pause(actor: Actor, tenantId: string, id: string, ctx: { ip?: string } = {}) {
    requireNewsEditor(actor, tenantId);
    await this.d.db.transaction(async (tx) => {
      const r = await tx.query(`update newsletter_campaigns set state = 'paused' where tenant_id = $1 and id = $2 and state = 'sending'`, [tenantId, id]);
      if (!r.rowCount) throw new AppError('conflict', 409, { reason: 'not_sending' });
      await this.d.audit.record(tx, tenantId, actor, { action: 'newsletter.pause', targetKind: 'newsletter_campaign', targetId: id, ip: ctx.ip });
    });
  }

  async resume(actor: Actor, tenantId: string, id: string, ctx: { ip?: string } = {}) {
    requireNewsEditor(actor, tenantId);
    await this.d.db.transaction(async (tx) => {
      const r = await tx.query(`update newsletter_campaigns set state = 'sending', last_activity_at = now() where tenant_id = $1 and id = $2 and state = 'paused'`, [tenantId, id]);
      if (!r.rowCount) throw new AppError('conflict', 409, { reason: 'not_paused' });
      await this.d.jobs.enqueue(tx, 'newsletters.send', { tenantId, campaignId: id });
      await this.d.audit.record(tx, tenantId, actor, { action: 'newsletter.resume', targetKind: 'newsletter_campaign', targetId: id, ip: ctx.ip });
    });
  }

  async progress(id: string, q: Queryable = this.d.db): Promise<CampaignProgress> {
    const r = await q.query<Record<string, number | string | null>>(
      `select count(*)::int as total,
         count(*) filter (where state = 'pending')::int as pending, count(*) filter (where state = 'sending')::int as sending,
         count(*) filter (where state = 'sent')::int as sent, count(*) filter (where state = 'failed')::int as failed,
         count(*) filter (where state = 'unknown')::int as unknown,
         extract(epoch from (max(sent_at) - min(claimed_at)))::float8 as span
       from newsletter_recipients where campaign_id = $1`,
      [id],
    );
    const row = r.rows[0];
    const n = (k: string) => Number(row[k] ?? 0);
    const remaining = n('pending') + n('sending');
    const span = row.span == null ? null : Number(row.span);
    const observedRate = span && span > 0 && n('sent') > 1 ? n('sent') / span : null;
    const c = await q.query<{ rate_per_second: string | null; state: string }>('select rate_per_second, state from newsletter_campaigns where id = $1', [id]);
    const configured = c.rows[0]?.rate_per_second == null ? this.d.config.ratePerSecond : Number(c.rows[0].rate_per_second);
    const rate = observedRate ?? (configured > 0 ? configured : null);
    return {
      total: n('total'),
      pending: n('pending'),
      sending: n('sending'),
      sent: n('sent'),
      failed: n('failed'),
      unknown: n('unknown'),
      remaining,
      observedRate,
      etaSeconds: remaining === 0 || !rate ? null : Math.ceil(remaining / rate),
    };
  }

  async report(tenantId: string, id: string): Promise<CampaignReport> {
    const p = await this.progress(id);
    const r = await this.d.db.query<{ hard: number; soft: number; opens: number; unsubs: number; duration: number | null; tracking: boolean }>(
      `select (select count(*)::int from newsletter_recipients where campaign_id = c.id and bounce = 'hard') as hard,
         (select count(*)::int from newsletter_recipients where campaign_id = c.id and (bounce = 'soft' or soft_bounces > 0)) as soft,
         (select count(*)::int from newsletter_recipients where campaign_id = c.id and opened_at is not null) as opens,
         (select count(*)::int from newsletter_subscribers where tenant_id = c.tenant_id and unsubscribed_campaign_id = c.id) as unsubs,
         extract(epoch from (c.finished_at - c.started_at))::float8 as duration, c.open_tracking as tracking
       from newsletter_campaigns c where c.tenant_id = $1 and c.id = $2`,
      [tenantId, id],
    );
    const x = r.rows[0];
    return {
      ...p,
      hardBounces: x.hard,
      softBounces: x.soft,
      unsubscribes: x.unsubs,
      durationSeconds: x.duration == null ? null : Math.round(Number(x.duration) * 10) / 10,
      opens: x.tracking ? x.opens : null,
    };
  }

  // ── notifications and digests ────────────────────────────────────────────────────────

  /** One notification campaign per published item: confirmed instant subscribers of its topics, in its languages. */
  async createNotification(tenantId: string, itemId: string): Promise<string | null> {
    const item = await this.d.newsroom.load(tenantId, itemId);
    if (!item || item.state !== 'published' || item.audience !== 'public' || item.topics.length === 0) return null;
    return this.d.db.transaction(async (tx) => {
      const c = await tx.query<{ id: string }>(
        `insert into newsletter_campaigns (tenant_id, kind, state, subjects, item_ids, source_item_id, open_tracking, started_at, last_activity_at)
         values ($1, 'notification', 'sending', $2, $3, $4, $5, now(), now())
         on conflict (tenant_id, source_item_id) where kind = 'notification' do nothing returning id`,
        [tenantId, item.title, [item.id], item.id, (await this.settings(tenantId, tx)).openTracking],
      );
      const id = c.rows[0]?.id;
      if (!id) return null;
      await tx.query(
        `insert into newsletter_recipients (campaign_id, subscriber_id, tenant_id, email, language)
         select $2, s.id, s.tenant_id, s.email, s.language from newsletter_subscribers s where ${DELIVERABLE}
           and s.frequency = 'instant' and s.topics && $3::text[] and s.language = any($4::text[])`,
        [tenantId, id, item.topics, item.languages],
      );
      await this.d.jobs.enqueue(tx, 'newsletters.send', { tenantId, campaignId: id });
      return id;
    });
  }

  /** A digest campaign per tenant: each subscriber gets the items published since their last digest. */
  async runDigests(frequency: 'daily' | 'weekly'): Promise<string[]> {
    if (!FREQUENCIES.includes(frequency)) return [];
    const now = this.d.clock.now();
    const tenants = await this.d.db.query<{ tenant_id: string }>(
      `select distinct tenant_id from newsletter_subscribers where status = 'confirmed' and frequency = $1`,
      [frequency],
    );
    const made: string[] = [];
    for (const { tenant_id: tenantId } of tenants.rows) {
      const id = await this.d.db.transaction(async (tx) => {
        const c = await tx.query<{ id: string }>(
          `insert into newsletter_campaigns (tenant_id, kind, state, digest_frequency, open_tracking, started_at, last_activity_at)
           values ($1, 'digest', 'sending', $2, $3, now(), now()) returning id`,
          [tenantId, frequency, (await this.settings(tenantId, tx)).openTracking],
        );
        const campaignId = c.rows[0].id;
        await tx.query(
          `insert into newsletter_recipients (campaign_id, subscriber_id, tenant_id, email, language, item_ids)
           select $2, s.id, s.tenant_id, s.email, s.language, d.ids from newsletter_subscribers s
           cross join lateral (select array(
             select i.id from news_items i where i.tenant_id = s.tenant_id and i.state = 'published' and i.audience = 'public'
               and i.topics && s.topics and coalesce(i.title->>s.language, '') <> ''
               and i.published_at > coalesce(s.last_digest_at, s.confirmed_at) and i.published_at <= $4
             order by i.published_at desc limit 20) as ids) d
           where ${DELIVERABLE} and s.frequency = $3 and cardinality(d.ids) > 0`,
          [tenantId, campaignId, frequency, now],
        );
        await tx.query(
          `update newsletter_subscribers set last_digest_at = $2 where id in (select subscriber_id from newsletter_recipients where campaign_id = $1)`,
          [campaignId, now],
        );
        const n = await tx.query<{ n: number }>('select count(*)::int as n from newsletter_recipients where campaign_id = $1', [campaignId]);
        if (n.rows[0].n === 0) {
          await tx.query('delete from newsletter_campaigns where id = $1', [campaignId]);
          return null;
        }
        await this.d.jobs.enqueue(tx, 'newsletters.send', { tenantId, campaignId });
        return campaignId;
      });
      if (id) made.push(id);
    }
    return made;
  }

  /** Every minute: sends that went quiet (their process died) are picked up again. */
  async sweep(): Promise<number> {
    const r = await this.d.db.query<{ id: string; tenant_id: string }>(
      `update newsletter_campaigns set last_activity_at = now()
       where state = 'sending' and coalesce(last_activity_at, started_at) < now() - interval '45 seconds' returning id, tenant_id`,
    );
    for (const c of r.rows) await this.d.jobs.enqueue(this.d.db, 'newsletters.send', { tenantId: c.tenant_id, campaignId: c.id });
    return r.rows.length;
  }

  // ── bounces and opens ────────────────────────────────────────────────────────────────

  /** A delivery status notification for one of our messages: 5.x.x suppresses the address, 4.x.x is counted. */
  async recordBounce(campaignId: string, subscriberId: string, kind: 'hard' | 'soft', detail: string) {
    await this.d.db.transaction(async (tx) => {
      const r = await tx.query<{ tenant_id: string; email: string }>(
        kind === 'hard'
          ? `update newsletter_recipients set bounce = 'hard', error = $3 where campaign_id = $1 and subscriber_id = $2 returning tenant_id, email`
          : `update newsletter_recipients set soft_bounces = soft_bounces + 1, error = coalesce(error, $3) where campaign_id = $1 and subscriber_id = $2 returning tenant_id, email`,
        [campaignId, subscriberId, detail.slice(0, 500)],
      );
      const row = r.rows[0];
      if (!row || kind !== 'hard') return;
      await tx.query(
        `insert into newsletter_suppressions (tenant_id, email_norm, reason, detail, campaign_id) values ($1, $2, 'hard_bounce', $3, $4)
         on conflict (tenant_id, email_norm) do nothing`,
        [row.tenant_id, normalizeEmail(row.email), detail.slice(0, 500), campaignId],
      );
    });
  }

  /** The tracking pixel was loaded: recorded only for campaigns sent with tracking on. */
  async recordOpen(tenantId: string, token: string): Promise<boolean> {
    const t = this.tokens.read('open', token);
    if (!t?.campaignId) return false;
    const r = await this.d.db.query(
      `update newsletter_recipients r set opened_at = coalesce(r.opened_at, now()) from newsletter_campaigns c
       where c.id = r.campaign_id and c.open_tracking and r.tenant_id = $1 and r.campaign_id = $2 and r.subscriber_id = $3`,
      [tenantId, t.campaignId, t.subscriberId],
    );
    return r.rowCount > 0;
  }

  // ── staff views of subscribers ───────────────────────────────────────────────────────

  /** Subscribers (search by address), counts and the suppression list; an audited read of personal data. */
  async subscribers(actor: Actor, tenantId: string, f: { q?: string; limit?: number } = {}, ctx: { ip?: string } = {}) {
    requireNewsEditor(actor, tenantId);
    const q = (f.q ?? '').trim().toLowerCase().slice(0, 200);
    return this.d.db.transaction(async (tx) => {
      const list = await tx.query<{ id: string; email: string; language: Lang; topics: string[]; frequency: string; status: string; created_at: string; confirmed_at: string | null }>(
        `select id, email, language, topics, frequency, status, created_at, confirmed_at from newsletter_subscribers
         where tenant_id = $1 and ($2 = '' or strpos(email_norm, $2) > 0) order by created_at desc limit $3`,
        [tenantId, q, Math.min(Math.max(f.limit ?? 100, 1), 500)],
      );
      const counts = await tx.query<{ status: string; frequency: string; n: number }>(
        `select status, frequency, count(*)::int as n from newsletter_subscribers where tenant_id = $1 group by status, frequency`,
        [tenantId],
      );
      const suppressions = await tx.query<{ email_norm: string; reason: string; detail: string | null; created_at: string }>(
        `select email_norm, reason, detail, created_at from newsletter_suppressions where tenant_id = $1 order by created_at desc limit 200`,
        [tenantId],
      );
      await this.d.audit.record(tx, tenantId, actor, {
        action: 'newsletter.subscribers.read',
        targetKind: 'newsletter_subscribers',
        targetId: tenantId,
        details: { q: q || null, shown: list.rows.length, suppressions: suppressions.rows.length },
        ip: ctx.ip,
      });
      return {
        subscribers: list.rows.map((s) => ({ ...s, created_at: iso(s.created_at)!, confirmed_at: iso(s.confirmed_at) })),
        counts: counts.rows,
        suppressions: suppressions.rows.map((s) => ({ email: s.email_norm, reason: s.reason, detail: s.detail, createdAt: iso(s.created_at)! })),
      };
    });
  }
}
