import { randomUUID } from 'node:crypto';
import type { EmailAdapter, EmailMessage, HandOver } from '../../adapters/email/email.ts';
import type { Db, OrderedWriter, Queryable } from '../../platform/db.ts';
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
 * instance id) and hands them to the bulk transport. Right before SMTP's final dot it
 * marks the row `sent`, written to the database in the same instant as the dot; a
 * refusal after the dot is recorded as `failed` in a group commit. A row a dead process
 * left in `sending` never reached the server complete, so it goes back in line: see
 * README.md for the exact guarantee.
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
  state: 'sent' | 'failed' | 'pending';
  error: string | null;
  bounce: 'hard' | 'soft' | null;
  email: string;
}

export type RunResult = 'done' | 'paused' | 'continue' | 'waiting';

/** The hand-over mark did not take: the row is no longer this process's to send. */
class HandOverRefused extends Error {}

/** The hand-over mark: `sent`, only while the row is still this process's claim. */
const MARK_SENT = `update newsletter_recipients set state = 'sent', sent_at = now()
  where campaign_id = $1 and subscriber_id = $2 and state = 'sending' and claimed_by = $3`;

/**
 * The connections that write hand-over marks, one statement each at a time: a mark must
 * go out on an idle connection to leave in the same instant as its dot (OrderedWriter).
 */
class MarkWriters {
  private free: OrderedWriter[];
  private waiting: ((w: OrderedWriter) => void)[] = [];
  constructor(private all: OrderedWriter[]) {
    this.free = [...all];
  }
  /** An idle writer, reserved for the caller until the statement it issues settles. */
  acquire(): Promise<OrderedWriter> {
    const w = this.free.pop();
    return w ? Promise.resolve(w) : new Promise((r) => this.waiting.push(r));
  }
  private inFlight = new Set<Promise<unknown>>();
  releaseWhen(w: OrderedWriter, settled: Promise<unknown>) {
    const done = settled.then(
      () => {},
      () => {},
    );
    this.inFlight.add(done);
    void done.then(() => this.inFlight.delete(done));
    const release = () => {
      const next = this.waiting.shift();
      if (next) next(w);
      else this.free.push(w);
    };
    settled.then(release, release);
  }
  /** After the marks in flight have settled. */
  async close() {
    await Promise.all(this.inFlight);
    await Promise.all(this.all.map((w) => w.close()));
  }
}

export class NewsletterSender {
  readonly instanceId = randomUUID();
  /** When the last heartbeat that reached the database was sent (Date.now()). */
  private lastBeatOk = 0;
  private stopped = false;
  private crashed = false;

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

  /**
   * Stops at once, as a process killed mid-send would: no more claims, hand-overs or
   * heartbeats, and what was in flight stays as it is. For crash-recovery tests within
   * one process (the real kill -9 is tests/integration/newsletter-kill.test.ts).
   */
  crash() {
    this.crashed = true;
    this.stopped = true;
  }

  private get orphanAfterMs() {
    return (this.opts.orphanAfterSeconds ?? 15) * 1000;
  }

  private async heartbeat() {
    if (this.crashed) return;
    const sentAt = Date.now();
    await this.d.db.query(
      `insert into newsletter_sender_instances (instance_id, seen_at) values ($1, now())
       on conflict (instance_id) do update set seen_at = now()`,
      [this.instanceId],
    );
    // seen_at is no earlier than sentAt, so this errs on the side of "stale".
    this.lastBeatOk = sentAt;
  }

  private beatEveryMs() {
    return Math.min(2000, this.orphanAfterMs / 6);
  }

  /**
   * Whether other processes still count this one as alive with a wide margin: a third of
   * the orphan limit. Only then may a mark leave unchecked with its dot (see handOver).
   */
  private fresh() {
    return Date.now() - this.lastBeatOk < this.orphanAfterMs / 3;
  }

  /**
   * Rows left in `sending` by processes that stopped beating. A row is marked `sent` in the
   * same instant as its final dot, so these never reached the server complete (a server
   * discards a message whose connection closed before the dot): they go back in line.
   */
  async resolveOrphans(campaignId: string): Promise<number> {
    const r = await this.d.db.query(
      `update newsletter_recipients set state = 'pending', claimed_by = null
       where campaign_id = $1 and state = 'sending'
         and claimed_by not in (select instance_id from newsletter_sender_instances where seen_at > now() - make_interval(secs => $2))`,
      [campaignId, this.orphanAfterMs / 1000],
    );
    return r.rowCount;
  }

  /** Sends the campaign's pending rows until none are left, it is paused, or maxRunMs passes. */
  async run(campaignId: string): Promise<RunResult> {
    const db = this.d.db;
    await this.heartbeat();
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

    // Group commit of the outcomes the hand-over mark does not write: refusals, messages
    // that go back in line, and a `sent` whose mark failed.
    let buffer: Outcome[] = [];
    let flushing: Promise<void> | null = null;
    // Messages handed over since the campaign's last_activity_at was written (the sweep
    // restarts sends that show no progress).
    let progressed = false;
    const flushOnce = async () => {
      const rows = buffer;
      buffer = [];
      if (!rows.length) return;
      const write = async (q: Queryable) => {
        await q.query(
          `update newsletter_recipients r set state = v.state,
             sent_at = case when v.state = 'sent' then coalesce(r.sent_at, now()) else null end,
             error = v.error, bounce = v.bounce,
             claimed_by = case when v.state = 'pending' then null else r.claimed_by end
           from unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) as v(sid, state, error, bounce)
           where r.campaign_id = $1 and r.subscriber_id = v.sid and r.state in ('sending', 'sent') and r.claimed_by = $6`,
          [campaignId, rows.map((o) => o.subscriberId), rows.map((o) => o.state), rows.map((o) => o.error), rows.map((o) => o.bounce), this.instanceId],
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
      // Set once the mark is on its way: from then on the server may have the message.
      let handedOver = false;
      // The fast way's mark, settled: true when it took.
      let marked: Promise<boolean> | null = null;
      // A writer reserved for a finisher the transport has not called (it failed first).
      let reserved: OrderedWriter | null = null;
      const handOver: HandOver = async () => {
        // A crashed process writes nothing more: the message never completes.
        if (this.crashed) return new Promise<never>(() => {});
        const w = await writers.acquire();
        if (!w.healthy) {
          writers.releaseWhen(w, Promise.resolve());
          throw new Error('the database connection for hand-over marks is lost');
        }
        const args = [campaignId, row.subscriber_id, this.instanceId];
        if (!w.detached || !this.fresh()) {
          // The checked way: wait for the mark to commit and see that the row is still
          // ours, then the dot follows. PGlite always (it dies with this process); on
          // PostgreSQL when this process may already count as dead elsewhere, and its
          // row may have gone back in line.
          const issued = w.issue(MARK_SENT, args);
          writers.releaseWhen(w, issued);
          if ((await issued).rowCount !== 1) throw new HandOverRefused('the row is no longer this process’s to send');
          handedOver = true;
          return;
        }
        // The fast way: the transport calls this right before the dot, in the same
        // synchronous step. The mark is on the database server's socket before the dot is
        // written, so a kill -9 cannot let the dot out without the mark.
        reserved = w;
        return () => {
          reserved = null;
          const issued = w.issue(MARK_SENT, args);
          writers.releaseWhen(w, issued);
          handedOver = true;
          marked = issued.then(
            (r) => r.rowCount === 1,
            (e: unknown) => {
              this.d.log.error({ err: e, campaignId }, 'newsletter: a hand-over mark failed');
              return false;
            },
          );
        };
      };
      try {
        await this.d.transport.send(message, handOver);
        progressed = true;
        // A fast mark that did not take is written again the ordinary way.
        if (marked && !(await marked)) record({ subscriberId: row.subscriber_id, state: 'sent', error: null, bounce: null, email: row.email });
      } catch (e) {
        if (e instanceof HandOverRefused) throw e;
        const err = e as Error & { responseCode?: number; response?: string; handedOver?: boolean };
        const detail = (err.response ?? err.message ?? 'error').slice(0, 500);
        // The transport knows best whether the dot left (a server can hang up while the
        // mark commits); an adapter that does not say has handed over iff the mark was made.
        const complete = err.handedOver ?? handedOver;
        if (err.responseCode && err.responseCode >= 500) {
          record({ subscriberId: row.subscriber_id, state: 'failed', error: detail, bounce: 'hard', email: row.email });
        } else if (err.responseCode && err.responseCode >= 400) {
          record({ subscriberId: row.subscriber_id, state: 'failed', error: detail, bounce: 'soft', email: row.email });
        } else if (!complete) {
          // The server never had the message complete: it goes back in line, and the job retries.
          record({ subscriberId: row.subscriber_id, state: 'pending', error: detail, bounce: null, email: row.email });
          throw e;
        } else {
          // The server has the complete message; only its reply was lost.
          progressed = true;
          record({ subscriberId: row.subscriber_id, state: 'sent', error: `no reply after the complete message: ${detail}`.slice(0, 500), bounce: null, email: row.email });
        }
      } finally {
        if (reserved) writers.releaseWhen(reserved, Promise.resolve());
      }
    };

    const started = Date.now();
    const inFlight = new Set<Promise<void>>();
    let failure: unknown = null;
    let result: RunResult = 'done';
    // One mark connection per SMTP connection: a mark's connection is idle when its dot is due.
    const writers = new MarkWriters(await Promise.all(Array.from({ length: Math.max(1, this.d.config.smtpConnections) }, () => db.orderedWriter())));
    // The heartbeat runs on its own clock: a slow SMTP server must not make our rows look orphaned.
    const beat = setInterval(
      () =>
        void (async () => {
          await this.heartbeat();
          if (!progressed) return;
          progressed = false;
          await db.query('update newsletter_campaigns set last_activity_at = now() where id = $1', [campaignId]);
        })().catch((e: unknown) => this.d.log.warn({ err: e }, 'newsletter: heartbeat failed')),
      this.beatEveryMs(),
    );
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
            `update newsletter_recipients set state = 'pending', claimed_by = null
             where campaign_id = $1 and state = 'sending' and claimed_by = $2`,
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
      clearInterval(beat);
      await writers.close();
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
