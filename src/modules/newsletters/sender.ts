import { randomUUID } from 'node:crypto';
import type { EmailAdapter, EmailMessage } from '../../adapters/email/email.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { Logger } from '../../platform/log.ts';
import type { NewsItem } from '../newsroom/model.ts';
import type { NewsroomService } from '../newsroom/items.ts';
import type { TenancyService } from '../tenancy/tenants.ts';
import { mailDomain, mailFrame, openPixelUrl, preferencesUrl, unsubscribeUrl, type NewsletterConfig } from './common.ts';
import { personalize, renderTemplate, unsubscribeHeaders, type CampaignContent, type RenderedTemplate } from './render.ts';
import type { LinkTokens } from './tokens.ts';

/**
 * The bulk sender. Several processes can work on one campaign: each claims small batches
 * of pending recipient rows with FOR UPDATE SKIP LOCKED (marking them `sending` with its
 * instance id), hands them to a pooled SMTP transport, and records `sent` as soon as the
 * server has accepted a message (a group commit: every acceptance waits at most one
 * database round trip). Rows a dead process left in `sending` become `unknown` and are
 * never sent again: see README.md for the exact guarantee.
 */

export interface SenderOptions {
  /** A process not seen for this long is dead; its `sending` rows are orphans. */
  orphanAfterSeconds?: number;
  /** A run returns after this long (the job re-enqueues itself), so no job runs for hours. */
  maxRunMs?: number;
}

interface Claimed {
  subscriber_id: string;
  email: string;
  language: Lang;
  item_ids: string[] | null;
  suppressed: boolean;
  subscribed: boolean;
}

interface Outcome {
  subscriberId: string;
  state: 'sent' | 'failed' | 'pending' | 'unknown';
  error: string | null;
  bounce: 'hard' | 'soft' | null;
  email: string;
}

export type RunResult = 'done' | 'paused' | 'continue' | 'waiting';

/** SMTP commands before DATA: a failure there means the server has not taken the message. */
const BEFORE_DATA = new Set(['CONN', 'EHLO', 'HELO', 'LHLO', 'STARTTLS', 'AUTH PLAIN', 'AUTH LOGIN', 'MAIL FROM', 'RCPT TO', 'API']);

export class NewsletterSender {
  readonly instanceId = randomUUID();
  private lastBeat = 0;
  private stopped = false;

  constructor(
    private d: {
      db: Db;
      log: Logger;
      tenancy: TenancyService;
      newsroom: NewsroomService;
      config: NewsletterConfig;
      tokens: LinkTokens;
      transport: EmailAdapter;
    },
    private opts: SenderOptions = {},
  ) {}

  /** Stops claiming; running sends finish and are recorded. */
  stop() {
    this.stopped = true;
  }

  private async heartbeat(force = false) {
    if (!force && Date.now() - this.lastBeat < 2000) return;
    this.lastBeat = Date.now();
    await this.d.db.query(
      `insert into newsletter_sender_instances (instance_id, seen_at) values ($1, now())
       on conflict (instance_id) do update set seen_at = now()`,
      [this.instanceId],
    );
  }

  /** Rows left in `sending` by processes that stopped beating: they may have been delivered, so they are never sent again. */
  async resolveOrphans(campaignId: string): Promise<number> {
    const r = await this.d.db.query(
      `update newsletter_recipients set state = 'unknown', error = 'interrupted: the sending process stopped after handing this message to SMTP; it may have been delivered'
       where campaign_id = $1 and state = 'sending'
         and claimed_by not in (select instance_id from newsletter_sender_instances where seen_at > now() - make_interval(secs => $2))`,
      [campaignId, this.opts.orphanAfterSeconds ?? 15],
    );
    return r.rowCount;
  }

  /** Sends the campaign's pending rows until none are left, it is paused, or maxRunMs passes. */
  async run(campaignId: string): Promise<RunResult> {
    const db = this.d.db;
    await this.heartbeat(true);
    await this.resolveOrphans(campaignId);
    const c = (
      await db.query<{
        id: string;
        tenant_id: string;
        kind: CampaignContent['kind'];
        state: string;
        subjects: Record<string, string>;
        intros: Record<string, string>;
        item_ids: string[];
        rate_per_second: string | null;
        digest_frequency: string | null;
        open_tracking: boolean;
      }>('select * from newsletter_campaigns where id = $1', [campaignId])
    ).rows[0];
    if (!c) return 'done';
    if (c.state === 'paused') return 'paused';
    if (c.state !== 'sending') return 'done';

    const rate = c.rate_per_second === null ? this.d.config.ratePerSecond : Number(c.rate_per_second);
    const parallel = Math.max(1, this.d.config.smtpConnections * 2);
    const domain = mailDomain(this.d.config.emailFrom);
    const content: CampaignContent = { kind: c.kind, subjects: c.subjects, intros: c.intros, digestFrequency: c.digest_frequency };
    const itemCache = new Map<string, NewsItem | null>();
    const loadItems = async (ids: string[]) => {
      const missing = ids.filter((id) => !itemCache.has(id));
      for (const id of missing) {
        const item = await this.d.newsroom.load(c.tenant_id, id);
        itemCache.set(id, item && item.state === 'published' && item.audience === 'public' ? item : null);
      }
      return ids.map((id) => itemCache.get(id)).filter((i): i is NewsItem => !!i);
    };
    const originOf = new Map<string, string>();
    const templates = new Map<string, { t: RenderedTemplate; origin: string }>();
    const template = async (lang: Lang, origin: string, itemIds: string[] | null) => {
      const key = `${lang}|${origin}|${itemIds ? itemIds.join(',') : ''}`;
      let hit = templates.get(key);
      if (!hit) {
        const frame = await mailFrame(this.d, db, c.tenant_id, lang, origin);
        hit = { t: renderTemplate(frame, content, await loadItems(itemIds ?? c.item_ids), lang, c.open_tracking), origin: frame.origin };
        // Digests differ per recipient: keep only the campaign-wide templates.
        if (!itemIds) templates.set(key, hit);
      }
      return hit;
    };
    const listId = `<${c.kind}.${c.tenant_id}.${domain}>`;

    // Throttle: the next send may start at nextAt (ms).
    let nextAt = Date.now();
    const pace = async () => {
      if (rate <= 0) return;
      const now = Date.now();
      // No saving up: after an idle moment the schedule restarts from now.
      if (nextAt < now) nextAt = now;
      const wait = nextAt - now;
      nextAt += 1000 / rate;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    };

    // Group commit of outcomes.
    let buffer: Outcome[] = [];
    let flushing: Promise<void> | null = null;
    let activityAt = 0;
    const flushOnce = async () => {
      const rows = buffer;
      buffer = [];
      if (!rows.length) return;
      const write = async (q: Queryable) => {
        await q.query(
          `update newsletter_recipients r set state = v.state,
             sent_at = case when v.state = 'sent' then now() else r.sent_at end,
             error = v.error, bounce = v.bounce,
             claimed_by = case when v.state = 'pending' then null else r.claimed_by end
           from unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) as v(sid, state, error, bounce)
           where r.campaign_id = $1 and r.subscriber_id = v.sid and r.state = 'sending'`,
          [campaignId, rows.map((o) => o.subscriberId), rows.map((o) => o.state), rows.map((o) => o.error), rows.map((o) => o.bounce)],
        );
      };
      const hard = rows.filter((o) => o.bounce === 'hard');
      if (hard.length) {
        // The outcome and the suppression commit together.
        await db.transaction(async (tx) => {
          await write(tx);
          await tx.query(
            `insert into newsletter_suppressions (tenant_id, email_norm, reason, detail, campaign_id)
             select $1, lower(e), 'hard_bounce', d, $2 from unnest($3::text[], $4::text[]) as v(e, d)
             on conflict (tenant_id, email_norm) do nothing`,
            [c.tenant_id, campaignId, hard.map((o) => o.email), hard.map((o) => (o.error ?? '').slice(0, 500))],
          );
        });
      } else {
        // One statement is its own transaction: the rows are durable when it returns.
        await write(db);
      }
      if (Date.now() - activityAt > 1000) {
        activityAt = Date.now();
        await db.query('update newsletter_campaigns set last_activity_at = now() where id = $1', [campaignId]);
      }
      await this.heartbeat();
    };
    const flush = (): Promise<void> => {
      if (flushing) return flushing;
      flushing = (async () => {
        try {
          while (buffer.length) await flushOnce();
        } finally {
          flushing = null;
        }
      })();
      return flushing;
    };
    const record = (o: Outcome) => {
      buffer.push(o);
      void flush().catch((e: unknown) => this.d.log.error({ err: e }, 'newsletter: recording outcomes failed'));
    };

    const sendOne = async (row: Claimed) => {
      if (row.suppressed || !row.subscribed) {
        record({ subscriberId: row.subscriber_id, state: 'failed', error: row.suppressed ? 'suppressed' : 'unsubscribed', bounce: null, email: row.email });
        return;
      }
      let origin = originOf.get(row.subscriber_id) ?? '';
      const tpl = await template(row.language, origin, row.item_ids);
      origin = tpl.origin;
      const unsub = unsubscribeUrl(origin, this.d.tokens.make('unsub', row.subscriber_id, campaignId));
      const body = personalize(tpl.t, {
        unsubscribeUrl: unsub,
        preferencesUrl: preferencesUrl(origin, row.language, this.d.tokens.make('prefs', row.subscriber_id)),
        pixelUrl: c.open_tracking ? openPixelUrl(origin, this.d.tokens.make('open', row.subscriber_id, campaignId)) : undefined,
      });
      const message: EmailMessage = {
        tenantId: c.tenant_id,
        to: row.email,
        subject: body.subject,
        text: body.text,
        html: body.html,
        headers: unsubscribeHeaders(unsub, listId),
        // Deterministic per (campaign, subscriber): the same message has the same id wherever it is seen.
        messageId: `<nl.${campaignId}.${row.subscriber_id}@${domain}>`,
        envelopeFrom: `bounces+${this.d.tokens.bounce(campaignId, row.subscriber_id)}@${domain}`,
      };
      try {
        await this.d.transport.send(message);
        record({ subscriberId: row.subscriber_id, state: 'sent', error: null, bounce: null, email: row.email });
      } catch (e) {
        const err = e as Error & { responseCode?: number; command?: string; response?: string };
        const detail = (err.response ?? err.message ?? 'error').slice(0, 500);
        if (err.responseCode && err.responseCode >= 500) {
          record({ subscriberId: row.subscriber_id, state: 'failed', error: detail, bounce: 'hard', email: row.email });
        } else if (err.responseCode && err.responseCode >= 400) {
          record({ subscriberId: row.subscriber_id, state: 'failed', error: detail, bounce: 'soft', email: row.email });
        } else if (err.command && BEFORE_DATA.has(err.command)) {
          // The server never had the message: it goes back in line.
          record({ subscriberId: row.subscriber_id, state: 'pending', error: detail, bounce: null, email: row.email });
          throw e;
        } else {
          record({ subscriberId: row.subscriber_id, state: 'unknown', error: detail, bounce: null, email: row.email });
        }
      }
    };

    const started = Date.now();
    const inFlight = new Set<Promise<void>>();
    let failure: unknown = null;
    let result: RunResult = 'done';
    try {
      let checkedAt = 0;
      // Claims walk the ledger in subscriber order from where the last one ended, so no claim
      // rescans the rows already sent (dead index entries until vacuum).
      let cursor: string | null = null;
      const connections = Math.max(1, this.d.config.smtpConnections);
      for (;;) {
        if (this.stopped) {
          result = 'continue';
          break;
        }
        if (Date.now() - started > (this.opts.maxRunMs ?? 240_000)) {
          result = 'continue';
          break;
        }
        // Pause (and a campaign finished elsewhere) is noticed within a fifth of a second.
        if (Date.now() - checkedAt > 200) {
          checkedAt = Date.now();
          const state = (await db.query<{ state: string }>('select state from newsletter_campaigns where id = $1', [campaignId])).rows[0]?.state;
          if (state !== 'sending') {
            result = state === 'paused' ? 'paused' : 'done';
            break;
          }
        }
        // Rows are claimed only for free slots, right before they are handed to SMTP: what a
        // crash leaves in 'sending' is at most what was in flight (see README.md).
        const minFree = rate > 0 ? 1 : connections;
        while (parallel - inFlight.size < minFree) await Promise.race(inFlight);
        if (failure) break;
        const free = parallel - inFlight.size;
        // A throttled send claims one row per step, after waiting its turn.
        const want = rate > 0 ? 1 : free;
        if (rate > 0) await pace();
        const claimed: (Claimed & { origin: string })[] = (
          await db.query<Claimed & { origin: string }>(
            `update newsletter_recipients r set state = 'sending', claimed_by = $2, claimed_at = now()
             from (select campaign_id, subscriber_id from newsletter_recipients
                   where campaign_id = $1 and state = 'pending' and ($4::uuid is null or subscriber_id > $4::uuid)
                   order by subscriber_id limit $3 for update skip locked) x
             where r.campaign_id = x.campaign_id and r.subscriber_id = x.subscriber_id
             returning r.subscriber_id, r.email, r.language, r.item_ids,
               exists (select 1 from newsletter_suppressions s where s.tenant_id = r.tenant_id and s.email_norm = lower(r.email)) as suppressed,
               coalesce((select s.status = 'confirmed' from newsletter_subscribers s where s.tenant_id = r.tenant_id and s.id = r.subscriber_id), false) as subscribed,
               (select s.origin from newsletter_subscribers s where s.tenant_id = r.tenant_id and s.id = r.subscriber_id) as origin`,
            [campaignId, this.instanceId, want, cursor],
          )
        ).rows;
        if (!claimed.length) {
          // Past the end: once more from the start for rows another sender skipped or gave back.
          if (cursor === null) break;
          cursor = null;
          continue;
        }
        for (const row of claimed) if (cursor === null || row.subscriber_id > cursor) cursor = row.subscriber_id;
        for (const row of claimed) {
          originOf.set(row.subscriber_id, row.origin ?? '');
          const p: Promise<void> = sendOne(row)
            .catch((e: unknown) => {
              failure ??= e;
            })
            .finally(() => inFlight.delete(p));
          inFlight.add(p);
        }
        if (failure) {
          // Put the claimed rows that were never handed over back in line.
          await Promise.all(inFlight);
          await flush();
          await db.query(
            `update newsletter_recipients set state = 'pending', claimed_by = null where campaign_id = $1 and state = 'sending' and claimed_by = $2`,
            [campaignId, this.instanceId],
          );
          throw failure;
        }
      }
      await Promise.all(inFlight);
      await flush();
    } finally {
      await Promise.allSettled(inFlight);
      await flush().catch(() => {});
    }
    if (result === 'done') {
      await this.resolveOrphans(campaignId);
      const left = await db.query<{ n: number }>(
        `select count(*)::int as n from newsletter_recipients where campaign_id = $1 and state in ('pending', 'sending')`,
        [campaignId],
      );
      if (left.rows[0].n > 0) return 'waiting';
      await db.query(`update newsletter_campaigns set state = 'done', finished_at = coalesce(finished_at, now()) where id = $1 and state = 'sending'`, [campaignId]);
    }
    return result;
  }
}
