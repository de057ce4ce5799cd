import { z } from 'zod';
import { sha256 } from '../../platform/crypto.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { LANGUAGES, type Lang } from '../../platform/i18n.ts';
import { parse } from '../../platform/validation.ts';
import { tooManyRequests } from '../identity/throttle.ts';
import { confirmUrl, FREQUENCIES, mailFrame, makeTokens, normalizeEmail, type Frequency, type NewsletterDeps } from './common.ts';
import { mailText } from './texts.ts';

/**
 * Residents' subscriptions: double opt-in, the preference page, unsubscribing. Nothing is
 * mailed to an address before its owner opened the confirmation link, and no answer tells
 * whether an address was already subscribed (the same "check your mail" either way).
 */
export const subscribeInput = z.strictObject({
  email: z.email({ message: 'invalid_email' }).max(254, { message: 'too_long' }),
  topics: z.array(z.string().max(100), { message: 'invalid_type' }).min(1, { message: 'required' }).max(50, { message: 'too_many' }),
  frequency: z.enum(FREQUENCIES, { message: 'invalid_frequency' }),
  language: z.enum(LANGUAGES, { message: 'invalid_language' }),
});
export type SubscribeInput = z.input<typeof subscribeInput>;

export const preferencesInput = subscribeInput.omit({ email: true });

export interface SubscriptionView {
  id: string;
  email: string;
  language: Lang;
  topics: string[];
  frequency: Frequency;
  status: 'pending' | 'confirmed' | 'unsubscribed';
}

export class SubscriptionService {
  private tokens;

  constructor(private d: NewsletterDeps) {
    this.tokens = makeTokens(d.config);
  }

  get linkTokens() {
    return this.tokens;
  }

  private async checkChoice(q: Queryable, tenantId: string, topics: string[], language: Lang) {
    const tenant = await this.d.tenancy.get(tenantId, q);
    if (!tenant.languages.includes(language)) throw new AppError('validation_failed', 400, { fields: { language: 'invalid_language' } });
    const known = new Set((await this.d.newsroom.topics(tenantId)).map((t) => t.slug));
    const unknown = topics.filter((t) => !known.has(t));
    if (unknown.length) throw new AppError('validation_failed', 400, { fields: { topics: 'unknown_topic' } });
  }

  /** Counts one request per key; 429 with Retry-After over the hourly limit. */
  private async countRequest(tx: Queryable, tenantId: string, key: string, max: number) {
    const r = await tx.query<{ count: number; retry: number }>(
      `insert into newsletter_rate (tenant_id, key, window_start, count) values ($1, $2, now(), 1)
       on conflict (tenant_id, key) do update set
         count = case when newsletter_rate.window_start < now() - interval '1 hour' then 1 else newsletter_rate.count + 1 end,
         window_start = case when newsletter_rate.window_start < now() - interval '1 hour' then now() else newsletter_rate.window_start end
       returning count, ceil(extract(epoch from (window_start + interval '1 hour' - now())))::int as retry`,
      [tenantId, key],
    );
    if (r.rows[0].count > max) throw tooManyRequests(r.rows[0].retry);
  }

  /**
   * A subscribe request: the choice waits in pending_choice until the confirmation link
   * applies it, for a new address and for a confirmed one alike (whoever typed the
   * address must not change someone else's subscription).
   */
  async subscribe(tenantId: string, body: unknown, ctx: { ip: string; origin: string }): Promise<void> {
    const input = parse(subscribeInput, body);
    const topics = [...new Set(input.topics)];
    await this.checkChoice(this.d.db, tenantId, topics, input.language);
    const emailNorm = normalizeEmail(input.email);
    const choice = { topics, frequency: input.frequency, language: input.language };
    // Counted in their own transaction: a refused request still counts, a failing mail does not undo the count.
    await this.d.db.transaction(async (tx) => {
      await this.countRequest(tx, tenantId, `ip:${ctx.ip}`, this.d.config.subscribePerIpHour);
      await this.countRequest(tx, tenantId, `email:${sha256(emailNorm)}`, this.d.config.subscribePerEmailHour);
    });
    await this.d.db.transaction(async (tx) => {
      const r = await tx.query<{ id: string; origin: string }>(
        `insert into newsletter_subscribers (tenant_id, email, email_norm, language, topics, frequency, status, origin, pending_choice)
         values ($1, $2, $3, $4, $5, $6, 'pending', $7, $8)
         on conflict (tenant_id, email_norm) do update set
           pending_choice = excluded.pending_choice,
           status = case when newsletter_subscribers.status = 'unsubscribed' then 'pending' else newsletter_subscribers.status end,
           origin = excluded.origin
         returning id, origin`,
        [tenantId, input.email.trim(), emailNorm, input.language, topics, input.frequency, ctx.origin, JSON.stringify(choice)],
      );
      const { id, origin } = r.rows[0];
      const frame = await mailFrame(this.d, tx, tenantId, input.language, origin);
      const link = confirmUrl(frame.origin, input.language, this.tokens.make('confirm', id));
      await this.d.mail.enqueue(tx, {
        tenantId,
        to: input.email.trim(),
        subject: mailText(input.language, 'confirmSubject', { org: frame.org }),
        text: mailText(input.language, 'confirmText', { org: frame.org, email: input.email.trim(), link }),
      });
    });
  }

  /** The confirmation link: applies the pending choice and starts the subscription. Returns the preference token. */
  async confirm(tenantId: string, token: string): Promise<{ preferencesToken: string; language: Lang }> {
    const t = this.tokens.read('confirm', token);
    if (!t) throw new AppError('invalid_token', 400);
    const now = this.d.clock.now();
    const r = await this.d.db.query<{ id: string; language: Lang }>(
      `update newsletter_subscribers set
         topics = coalesce(array(select jsonb_array_elements_text(pending_choice->'topics')), topics),
         frequency = coalesce(pending_choice->>'frequency', frequency),
         language = coalesce(pending_choice->>'language', language),
         pending_choice = null,
         status = 'confirmed',
         confirmed_at = coalesce(case when status = 'confirmed' then confirmed_at end, $3),
         last_digest_at = coalesce(case when status = 'confirmed' then last_digest_at end, $3),
         unsubscribed_at = null, unsubscribed_campaign_id = null
       where tenant_id = $1 and id = $2 and (pending_choice is not null or status = 'confirmed')
       returning id, language`,
      [tenantId, t.subscriberId, now],
    );
    if (!r.rows[0]) {
      // Confirmed once already and nothing pending: the link still leads to the preferences.
      const s = await this.byId(tenantId, t.subscriberId);
      if (!s || s.status === 'unsubscribed') throw new AppError('invalid_token', 400);
      return { preferencesToken: this.tokens.make('prefs', s.id), language: s.language };
    }
    return { preferencesToken: this.tokens.make('prefs', r.rows[0].id), language: r.rows[0].language };
  }

  private async byId(tenantId: string, id: string, q: Queryable = this.d.db): Promise<SubscriptionView | null> {
    const r = await q.query<{ id: string; email: string; language: Lang; topics: string[]; frequency: Frequency; status: SubscriptionView['status'] }>(
      'select id, email, language, topics, frequency, status from newsletter_subscribers where tenant_id = $1 and id = $2',
      [tenantId, id],
    );
    return r.rows[0] ?? null;
  }

  /** The preference page's subscription (prefs or unsubscribe token); 404 for a wrong token. */
  async view(tenantId: string, token: string): Promise<SubscriptionView & { preferencesToken: string; unsubscribeToken: string }> {
    const t = this.tokens.read('prefs', token) ?? this.tokens.read('unsub', token);
    const s = t ? await this.byId(tenantId, t.subscriberId) : null;
    if (!s || !t) throw new AppError('not_found', 404);
    return { ...s, preferencesToken: this.tokens.make('prefs', s.id), unsubscribeToken: this.tokens.make('unsub', s.id, t.campaignId) };
  }

  /** Saves topics, frequency and language from the preference page (the token is the authority). */
  async update(tenantId: string, token: string, body: unknown): Promise<SubscriptionView> {
    const s = await this.view(tenantId, token);
    if (s.status === 'pending') throw new AppError('conflict', 409);
    const input = parse(preferencesInput, body);
    const topics = [...new Set(input.topics)];
    await this.checkChoice(this.d.db, tenantId, topics, input.language);
    // Resubscribing from the page after an unsubscribe is allowed: the token proves the mailbox.
    const r = await this.d.db.query<SubscriptionView>(
      `update newsletter_subscribers set topics = $3, frequency = $4, language = $5, status = 'confirmed',
         confirmed_at = coalesce(confirmed_at, $6), last_digest_at = coalesce(last_digest_at, $6),
         unsubscribed_at = null, unsubscribed_campaign_id = null
       where tenant_id = $1 and id = $2 returning id, email, language, topics, frequency, status`,
      [tenantId, s.id, topics, input.frequency, input.language, this.d.clock.now()],
    );
    return r.rows[0];
  }

  /** Unsubscribes from everything; the campaign the link came from is remembered for its report. Idempotent. */
  async unsubscribe(tenantId: string, token: string): Promise<{ language: Lang }> {
    const t = this.tokens.read('unsub', token) ?? this.tokens.read('prefs', token);
    if (!t) throw new AppError('not_found', 404);
    const r = await this.d.db.query<{ language: Lang }>(
      `update newsletter_subscribers set
         unsubscribed_campaign_id = case when status = 'unsubscribed' then unsubscribed_campaign_id else $3::uuid end,
         unsubscribed_at = case when status = 'unsubscribed' then unsubscribed_at else now() end,
         status = 'unsubscribed', pending_choice = null
       where tenant_id = $1 and id = $2 returning language`,
      [tenantId, t.subscriberId, t.campaignId],
    );
    if (!r.rows[0]) throw new AppError('not_found', 404);
    return { language: r.rows[0].language };
  }

  /** The language of the subscriber a token names (for redirects), or null. */
  async languageOf(tenantId: string, token: string): Promise<Lang | null> {
    const t = this.tokens.read('unsub', token) ?? this.tokens.read('prefs', token);
    if (!t) return null;
    return (await this.byId(tenantId, t.subscriberId))?.language ?? null;
  }
}
