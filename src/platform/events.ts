import { randomBytes } from 'node:crypto';
import type { Db, Queryable, Tx } from './db.ts';

/**
 * Realtime events across instances. An event is published with pg_notify inside the
 * caller's transaction (delivered only if it commits); every instance LISTENs on one
 * channel and hands events to its local subscribers (SSE connections). Payloads are
 * small (ids and kinds), well under PostgreSQL's 8,000-byte NOTIFY limit.
 */
export interface RealtimeEvent {
  /** tenant:<tenantId> or user:<tenantId>:<staffOrResidentId> */
  channel: string;
  type: string;
  data: Record<string, unknown>;
  /**
   * More channels that get the same event, sent as one NOTIFY (a chat message goes to the
   * conversation, its team or assignee and the staff view at once). A subscriber on
   * several of them gets it once.
   */
  also?: string[];
  /** Set by publish: time-ordered and unique across instances (the SSE `id:` line). */
  id?: string;
}

const PG_CHANNEL = 'aukio_events';

export const tenantChannel = (tenantId: string) => `tenant:${tenantId}`;
export const userChannel = (tenantId: string, userId: string) => `user:${tenantId}:${userId}`;

export class EventBus {
  private subscribers = new Map<string, Set<(e: RealtimeEvent) => void>>();
  private unlisten?: () => Promise<void>;
  /** Payloads waiting for their transaction's commit. */
  private pending = new WeakMap<Tx, string[]>();

  constructor(private db: Db) {}

  async start() {
    if (this.unlisten) return;
    this.unlisten = await this.db.listen(PG_CHANNEL, (payload) => {
      let event: RealtimeEvent;
      try {
        event = JSON.parse(payload);
      } catch {
        return;
      }
      const targets = new Set(this.subscribers.get(event.channel));
      for (const c of event.also ?? []) for (const cb of this.subscribers.get(c) ?? []) targets.add(cb);
      for (const cb of targets) {
        // One broken subscriber must not starve the others of the event.
        try {
          cb(event);
        } catch {
          /* the subscriber's own problem */
        }
      }
    });
  }

  /**
   * Publishes with the caller's transaction: subscribers on every instance get it right
   * after COMMIT, and never when the transaction rolls back. The NOTIFY itself is sent
   * after the commit, not inside the transaction: PostgreSQL serializes the commits of
   * all transactions that issued NOTIFY behind one global lock held across the WAL flush,
   * which capped chat at a few hundred messages a second. A process that dies between
   * the commit and the NOTIFY loses only the signal; streams that replay (chat) notice
   * the gap at their next heartbeat. Events of one transaction go in one round trip.
   * Called with a plain connection (no transaction) it notifies at once.
   */
  async publish(q: Queryable | Tx, event: RealtimeEvent) {
    const id = event.id ?? `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
    const payload = JSON.stringify({ ...event, id });
    if (Buffer.byteLength(payload) > 7900) throw new Error('Realtime event payload too large');
    if (!('afterCommit' in q)) {
      await q.query('select pg_notify($1, $2)', [PG_CHANNEL, payload]);
      return;
    }
    let batch = this.pending.get(q);
    if (!batch) {
      const payloads: string[] = [];
      this.pending.set(q, (batch = payloads));
      q.afterCommit(async () => {
        this.pending.delete(q);
        await this.db.query('select pg_notify($1, p) from unnest($2::text[]) with ordinality as t(p, n) order by n', [PG_CHANNEL, payloads]);
      });
    }
    batch.push(payload);
  }

  subscribe(channels: string[], cb: (e: RealtimeEvent) => void): () => void {
    for (const c of channels) {
      let set = this.subscribers.get(c);
      if (!set) this.subscribers.set(c, (set = new Set()));
      set.add(cb);
    }
    return () => {
      for (const c of channels) {
        const set = this.subscribers.get(c);
        set?.delete(cb);
        if (set && set.size === 0) this.subscribers.delete(c);
      }
    };
  }

  /** Local subscriptions (one per open SSE connection and channel), for metrics and tests. */
  subscriberCount(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  async stop() {
    await this.unlisten?.();
    this.unlisten = undefined;
    this.subscribers.clear();
  }
}
