import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { composeStatus, MastodonClient } from '../../adapters/social/mastodon.ts';
import type { EmailAdapter } from '../../adapters/email/email.ts';
import type { AuditService } from '../audit/audit.ts';
import { hasRole } from '../identity/access.ts';
import { ANONYMOUS, type Actor } from '../identity/actor.ts';
import { escapeHtml } from '../inbox/email-text.ts';
import { requireNewsEditor, type NewsroomService } from '../newsroom/items.ts';
import { itemPath, type NewsItem } from '../newsroom/model.ts';
import type { TenancyService } from '../tenancy/tenants.ts';
import type { Clock } from '../../platform/clock.ts';
import { SecretBox } from '../../platform/crypto.ts';
import type { Db, Queryable, Tx } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { LANGUAGES, pick, type Lang, type Localized } from '../../platform/i18n.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { Logger } from '../../platform/log.ts';
import { assertPublicUrl, isPublicAddress, OutboundRefused } from '../../platform/outbound.ts';
import { isUuid, parse } from '../../platform/validation.ts';
import { tenantOrigin, type MediaListService } from './contacts.ts';
import { helsinkiParts, htmlToMailText, mailText } from './mail-texts.ts';

/**
 * Distribution of published items beyond the website: press releases by e-mail to the
 * media distribution list (the embargoed copy to the embargo list first), a Mastodon
 * status with the item's image and alt text, and a signed webhook for other channels.
 *
 * The newsroom's hooks run inside the publishing transaction: there each target gets a
 * delivery row and a `distribution.deliver` job, so a delivery exists exactly when the
 * publication does. The job does the network IO, with pg-boss's retries and backoff; the
 * row shows the status (pending → sent | retrying | failed), attempts, the last error and
 * the external URL. A failed delivery can be retried from the console.
 */

export const CHANNELS = ['media_email', 'mastodon', 'webhook'] as const;
export type DeliveryChannel = (typeof CHANNELS)[number];
export type DeliveryStatus = 'pending' | 'sent' | 'retrying' | 'failed';

/** Kinds that may go to social channels (bulletins are the staff intranet's). */
export const SOCIAL_KINDS = ['news', 'press_release', 'event'] as const;
const VISIBILITIES = ['public', 'unlisted', 'private'] as const;

/** pg-boss retries after 5, 10, 20, 40 and 80 s (plus jitter): six attempts in about 2.5 minutes. */
export const DELIVERY_RETRY_LIMIT = 5;

export interface Delivery {
  id: string;
  itemId: string;
  itemTitle: { text: string; lang: Lang } | null;
  channel: DeliveryChannel;
  target: string;
  phase: 'embargoed' | 'published';
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  externalId: string | null;
  externalUrl: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

/** What staff see of the settings: never a secret, only whether one is set. */
export interface ChannelSettings {
  mastodon: { enabled: boolean; url: string; tokenSet: boolean; visibility: (typeof VISIBILITIES)[number]; language: Lang; kinds: string[]; topics: string[] };
  webhook: { enabled: boolean; url: string; secretSet: boolean; kinds: string[] };
  updatedAt: string | null;
  /** Whether this viewer may change the addresses and secrets (tenant admins). */
  canEditSecrets: boolean;
}

type Row = Record<string, any>;

const kinds = z.array(z.enum(SOCIAL_KINDS, { message: 'invalid_kind' }), { message: 'invalid_type' }).max(3);
const optionalText = (max: number) => z.string({ message: 'invalid_type' }).trim().max(max, { message: 'too_long' }).optional();

export const channelSettingsInput = z.strictObject({
  mastodonEnabled: z.boolean({ message: 'invalid_type' }).optional(),
  mastodonUrl: optionalText(300),
  /** Empty or missing keeps the stored token. */
  mastodonToken: optionalText(500),
  mastodonVisibility: z.enum(VISIBILITIES, { message: 'invalid_visibility' }).optional(),
  mastodonLanguage: z.enum(LANGUAGES, { message: 'invalid_language' }).optional(),
  mastodonKinds: kinds.optional(),
  mastodonTopics: z.array(z.string({ message: 'invalid_type' }).trim().max(60), { message: 'invalid_type' }).max(50).optional(),
  webhookEnabled: z.boolean({ message: 'invalid_type' }).optional(),
  webhookUrl: optionalText(500),
  /** Empty or missing keeps the stored secret. */
  webhookSecret: optionalText(500),
  webhookKinds: kinds.optional(),
});
export type ChannelSettingsInput = z.input<typeof channelSettingsInput>;

/**
 * Channel URLs: https; with allowPrivate also http to a loopback address (a local test
 * server or relay); without it a literal address must be public (names are checked when
 * they are called, see platform/outbound.ts). null when unusable.
 */
export function channelUrl(value: string, allowPrivate: boolean): string | null {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return null;
  }
  if (u.username || u.password || u.hash) return null;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (allowPrivate) {
    const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) return null;
  } else {
    if (u.protocol !== 'https:' || host === 'localhost' || (isIP(host) && !isPublicAddress(host))) return null;
  }
  return u.toString().replace(/\/$/, '');
}

/** X-Aukio-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export interface DistributionDeps {
  db: Db;
  audit: AuditService;
  jobs: JobQueue;
  clock: Clock;
  log: Logger;
  email: EmailAdapter;
  tenancy: TenancyService;
  newsroom: NewsroomService;
  mediaList: MediaListService;
  sessionSecret: string;
  publicUrl?: string;
  /** OUTBOUND_ALLOW_PRIVATE: channel URLs may be http and private (development, tests). */
  allowPrivateOutbound?: boolean;
  /** Mastodon media processing: how long to wait and how often to ask. */
  mastodonMediaWaitMs?: number;
  mastodonPollMs?: number;
}

class DeliveryFailure extends Error {
  constructor(
    message: string,
    /** No point in trying again (the contact left, the channel changed). */
    readonly permanent = false,
  ) {
    super(message);
  }
}

const DELIVERY_COLUMNS = `d.id, d.item_id, d.channel, d.target, d.phase, d.status, d.attempts, d.last_error, d.external_id, d.external_url,
  d.created_at, d.updated_at, d.sent_at, d.contact_id, d.tenant_id`;

function deliveryFromRow(r: Row): Delivery {
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    id: r.id,
    itemId: r.item_id,
    itemTitle: r.item_title ? pick(r.item_title, 'fi') : null,
    channel: r.channel,
    target: r.target,
    phase: r.phase,
    status: r.status,
    attempts: Number(r.attempts),
    lastError: r.last_error ?? null,
    externalId: r.external_id ?? null,
    externalUrl: r.external_url ?? null,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    sentAt: iso(r.sent_at),
  };
}

export class DistributionService {
  private box: SecretBox;

  constructor(private d: DistributionDeps) {
    this.box = new SecretBox(d.sessionSecret);
    d.jobs.define<{ tenantId: string; deliveryId: string }>({
      name: 'distribution.deliver',
      priority: 'urgent',
      retryLimit: DELIVERY_RETRY_LIMIT,
      handler: (data, job) => this.deliver(data.tenantId, data.deliveryId, job.retryCount),
    });
    d.newsroom.on('embargoed', (tx, item) => this.onEmbargoed(tx, item));
    d.newsroom.on('published', (tx, item) => this.onPublished(tx, item));
  }

  // ── hooks (inside the publishing transaction: rows and jobs only, no network) ──────────

  private async onEmbargoed(tx: Tx, item: NewsItem) {
    if (item.kind !== 'press_release' || item.audience !== 'public') return;
    for (const c of await this.d.mediaList.recipients(tx, item.tenantId, item.topics, true)) {
      await this.createDelivery(tx, item, 'media_email', c.email, 'embargoed', c.id);
    }
  }

  private async onPublished(tx: Tx, item: NewsItem) {
    if (item.audience !== 'public') return;
    if (item.kind === 'press_release') {
      // Contacts who had the embargoed copy already have a row for this address: skipped.
      for (const c of await this.d.mediaList.recipients(tx, item.tenantId, item.topics, false)) {
        await this.createDelivery(tx, item, 'media_email', c.email, 'published', c.id);
      }
    }
    if (!(SOCIAL_KINDS as readonly string[]).includes(item.kind)) return;
    const s = await this.settingsRow(tx, item.tenantId);
    if (!s) return;
    const topicsMatch = (wanted: string[]) => wanted.length === 0 || item.topics.some((t) => wanted.includes(t));
    if (s.mastodon_enabled && s.mastodon_url && s.mastodon_token_sealed && s.mastodon_kinds.includes(item.kind) && topicsMatch(s.mastodon_topics)) {
      await this.createDelivery(tx, item, 'mastodon', s.mastodon_url, 'published', null);
    }
    if (s.webhook_enabled && s.webhook_url && s.webhook_secret_sealed && s.webhook_kinds.includes(item.kind)) {
      await this.createDelivery(tx, item, 'webhook', s.webhook_url, 'published', null);
    }
  }

  private async createDelivery(tx: Tx, item: NewsItem, channel: DeliveryChannel, target: string, phase: 'embargoed' | 'published', contactId: string | null) {
    const r = await tx.query<{ id: string }>(
      `insert into distribution_deliveries (tenant_id, item_id, channel, target, phase, contact_id)
       values ($1, $2, $3, $4, $5, $6) on conflict (item_id, channel, target) do nothing returning id`,
      [item.tenantId, item.id, channel, target, phase, contactId],
    );
    if (!r.rows[0]) return;
    await this.d.jobs.enqueue(tx, 'distribution.deliver', { tenantId: item.tenantId, deliveryId: r.rows[0].id });
  }

  // ── the job ────────────────────────────────────────────────────────────────────────────

  /** One attempt of one delivery; throws to have pg-boss try again later. */
  async deliver(tenantId: string, deliveryId: string, retryCount: number): Promise<void> {
    const r = await this.d.db.query<Row>(`select ${DELIVERY_COLUMNS} from distribution_deliveries d where d.tenant_id = $1 and d.id = $2`, [tenantId, deliveryId]);
    const row = r.rows[0];
    if (!row || row.status === 'sent' || row.status === 'failed') return;
    await this.d.db.query('update distribution_deliveries set attempts = attempts + 1, updated_at = now() where id = $1', [deliveryId]);
    try {
      const item = await this.d.newsroom.load(tenantId, row.item_id);
      if (!item) throw new DeliveryFailure('item_removed', true);
      const out =
        row.channel === 'media_email' ? await this.sendMail(row, item) : row.channel === 'mastodon' ? await this.postMastodon(row, item) : await this.callWebhook(row, item);
      await this.d.db.query(
        `update distribution_deliveries set status = 'sent', sent_at = $2, last_error = null, external_id = $3, external_url = $4, updated_at = now() where id = $1`,
        [deliveryId, this.d.clock.now(), out.externalId, out.externalUrl],
      );
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e)).slice(0, 500);
      const final = (e instanceof DeliveryFailure && e.permanent) || retryCount >= DELIVERY_RETRY_LIMIT;
      await this.d.db.query(`update distribution_deliveries set status = $2, last_error = $3, updated_at = now() where id = $1`, [
        deliveryId,
        final ? 'failed' : 'retrying',
        message,
      ]);
      this.d.log.warn({ deliveryId, channel: row.channel, final, err: { message } }, 'distribution delivery failed');
      if (!final) throw e;
    }
  }

  private async sendMail(row: Row, item: NewsItem): Promise<{ externalId: string | null; externalUrl: string | null }> {
    const contact = row.contact_id ? await this.d.mediaList.forDelivery(this.d.db, item.tenantId, row.contact_id) : null;
    if (!contact) throw new DeliveryFailure('contact_removed', true);
    const lang: Lang = item.languages.includes(contact.language) ? contact.language : (item.languages[0] ?? contact.language);
    const { tenant, origin } = await tenantOrigin(this.d.tenancy, this.d.publicUrl, item.tenantId, this.d.db);
    const org = pick(tenant.names, contact.language).text;
    const title = pick(item.title, lang).text;
    const lead = pick(item.lead, lang).text;
    const bodyHtml = pick(item.body, lang).text;
    const permalink = origin + itemPath(lang, item);
    const unsubscribePage = `${origin}/${contact.language}/press/unsubscribe/${contact.unsubscribeToken}`;
    const oneClick = `${origin}/api/v1/press/unsubscribe/${contact.unsubscribeToken}`;
    const embargoed = row.phase === 'embargoed' && item.embargoUntil !== null;
    const when = item.embargoUntil ? helsinkiParts(item.embargoUntil) : null;
    const ml = contact.language;
    const subject = embargoed ? mailText(ml, 'embargoSubject', { ...when!, title }) : mailText(ml, 'releaseSubject', { title });
    const textParts = [
      ...(embargoed ? [mailText(ml, 'embargoBanner', when!), mailText(ml, 'embargoNote')] : []),
      title,
      lead,
      htmlToMailText(bodyHtml),
      `${mailText(ml, embargoed ? 'embargoLink' : 'releaseLink')}\n${permalink}`,
      ...(embargoed ? [mailText(ml, 'embargoBanner', when!)] : []),
      '—',
      mailText(ml, 'footer', { org, link: unsubscribePage }),
    ].filter(Boolean);
    const banner = embargoed
      ? `<p style="border:3px solid #b00020;padding:12px;font-weight:bold;color:#b00020;font-size:18px">${escapeHtml(mailText(ml, 'embargoBanner', when!))}</p><p>${escapeHtml(mailText(ml, 'embargoNote'))}</p>`
      : '';
    const html =
      `<!doctype html><html lang="${lang}"><body>${banner}<h1>${escapeHtml(title)}</h1>` +
      (lead ? `<p><strong>${escapeHtml(lead)}</strong></p>` : '') +
      bodyHtml +
      `<p>${escapeHtml(mailText(ml, embargoed ? 'embargoLink' : 'releaseLink'))} <a href="${escapeHtml(permalink)}">${escapeHtml(permalink)}</a></p>` +
      `<hr><p style="font-size:13px">${escapeHtml(mailText(ml, 'footer', { org, link: '' })).replace(/:\s*$/, ':')} <a href="${escapeHtml(unsubscribePage)}">${escapeHtml(unsubscribePage)}</a></p></body></html>`;
    const sent = await this.d.email.send({
      tenantId: item.tenantId,
      to: contact.email,
      subject,
      text: textParts.join('\n\n'),
      html,
      headers: {
        'List-Unsubscribe': `<${oneClick}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        ...(embargoed ? { 'X-Aukio-Embargo-Until': item.embargoUntil! } : {}),
      },
    });
    return { externalId: sent.messageId, externalUrl: null };
  }

  private async postMastodon(row: Row, item: NewsItem): Promise<{ externalId: string | null; externalUrl: string | null }> {
    const s = await this.settingsRow(this.d.db, item.tenantId);
    // The token belongs to the instance configured now: never send it to an address the
    // delivery remembers from before a change.
    if (!s || s.mastodon_url !== row.target) throw new DeliveryFailure('channel_changed', true);
    const token = s.mastodon_token_sealed ? this.box.open(s.mastodon_token_sealed, `distribution:mastodon:${item.tenantId}`) : null;
    if (!token) throw new DeliveryFailure('token_missing', true);
    await this.checkOutbound(row.target);
    const lang: Lang = item.languages.includes(s.mastodon_language) ? s.mastodon_language : (item.languages[0] ?? s.mastodon_language);
    const { origin } = await tenantOrigin(this.d.tenancy, this.d.publicUrl, item.tenantId, this.d.db);
    const client = new MastodonClient({ url: row.target, token, mediaWaitMs: this.d.mastodonMediaWaitMs, pollIntervalMs: this.d.mastodonPollMs });
    const mediaIds: string[] = [];
    const image = item.images[0];
    if (image) {
      const file = await this.d.newsroom.mediaBytes(ANONYMOUS, item.tenantId, image.id);
      const uploaded = await client.uploadMedia({ bytes: file.bytes, filename: image.filename, contentType: image.contentType }, pick(image.alt, lang).text);
      mediaIds.push(uploaded.id);
    }
    const status = await client.postStatus(
      {
        status: composeStatus(pick(item.title, lang).text, pick(item.lead, lang).text, origin + itemPath(lang, item)),
        mediaIds,
        visibility: s.mastodon_visibility,
        language: lang,
      },
      row.id,
    );
    return { externalId: status.id, externalUrl: status.url ?? status.uri };
  }

  /** The webhook's JSON for an item (absolute URLs). */
  async webhookPayload(item: NewsItem) {
    const { origin } = await tenantOrigin(this.d.tenancy, this.d.publicUrl, item.tenantId, this.d.db);
    const lang: Lang = item.languages[0] ?? 'fi';
    const image = item.images[0];
    return {
      event: 'news.published',
      item: {
        id: item.id,
        kind: item.kind,
        title: item.title,
        lead: item.lead,
        url: origin + itemPath(lang, item),
        urls: Object.fromEntries(item.languages.map((l) => [l, origin + itemPath(l, item)])) as Localized,
        publishedAt: item.publishedAt,
        topics: item.topics,
        image: image ? { url: origin + image.url, alt: image.alt, credit: image.credit, license: image.license } : null,
      },
    };
  }

  private async callWebhook(row: Row, item: NewsItem): Promise<{ externalId: string | null; externalUrl: string | null }> {
    const s = await this.settingsRow(this.d.db, item.tenantId);
    if (!s || s.webhook_url !== row.target) throw new DeliveryFailure('channel_changed', true);
    const secret = s.webhook_secret_sealed ? this.box.open(s.webhook_secret_sealed, `distribution:webhook:${item.tenantId}`) : null;
    if (!secret) throw new DeliveryFailure('secret_missing', true);
    const status = await this.post(row.target, secret, 'news.published', row.id, JSON.stringify(await this.webhookPayload(item)));
    return { externalId: String(status), externalUrl: null };
  }

  private get allowPrivate() {
    return this.d.allowPrivateOutbound ?? false;
  }

  /** A channel address that is not public fails for good (see platform/outbound.ts). */
  private async checkOutbound(url: string) {
    try {
      await assertPublicUrl(url, this.allowPrivate);
    } catch (e) {
      if (e instanceof OutboundRefused) throw new DeliveryFailure(`address_not_public: ${e.message}`, true);
      throw e;
    }
  }

  /** One signed POST; resolves with the 2xx status, throws otherwise. */
  private async post(url: string, secret: string, event: string, deliveryId: string, body: string): Promise<number> {
    await this.checkOutbound(url);
    const timestamp = String(Math.floor(this.d.clock.now().getTime() / 1000));
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Aukio-Webhook/1',
          'x-aukio-event': event,
          'x-aukio-delivery': deliveryId,
          'x-aukio-timestamp': timestamp,
          'x-aukio-signature': webhookSignature(secret, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw new Error(`webhook: ${e instanceof Error ? e.message : String(e)}`);
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status > 299) throw new Error(`webhook: HTTP ${res.status}`);
    return res.status;
  }

  // ── settings ───────────────────────────────────────────────────────────────────────────

  private async settingsRow(q: Queryable, tenantId: string): Promise<Row | null> {
    const r = await q.query<Row>('select * from distribution_channels where tenant_id = $1', [tenantId]);
    return r.rows[0] ?? null;
  }

  async settings(actor: Actor, tenantId: string): Promise<ChannelSettings> {
    const user = requireNewsEditor(actor, tenantId);
    const s = await this.settingsRow(this.d.db, tenantId);
    return {
      mastodon: {
        enabled: s?.mastodon_enabled ?? false,
        url: s?.mastodon_url ?? '',
        tokenSet: Boolean(s?.mastodon_token_sealed),
        visibility: s?.mastodon_visibility ?? 'public',
        language: s?.mastodon_language ?? 'fi',
        kinds: s?.mastodon_kinds ?? [...SOCIAL_KINDS],
        topics: s?.mastodon_topics ?? [],
      },
      webhook: {
        enabled: s?.webhook_enabled ?? false,
        url: s?.webhook_url ?? '',
        secretSet: Boolean(s?.webhook_secret_sealed),
        kinds: s?.webhook_kinds ?? [...SOCIAL_KINDS],
      },
      updatedAt: s?.updated_at ? new Date(s.updated_at).toISOString() : null,
      canEditSecrets: hasRole(user, 'tenant_admin'),
    };
  }

  /**
   * Saves the channel settings. Communications and publishers switch channels on and off
   * and choose what goes out; instance and webhook addresses, the token and the secret
   * are the tenant admin's (they decide where the organisation's voice and data go). A new
   * Mastodon address needs its token again, so a token never goes to another server.
   */
  async saveSettings(actor: Actor, tenantId: string, body: unknown, ctx: { ip?: string } = {}): Promise<ChannelSettings> {
    const user = requireNewsEditor(actor, tenantId);
    const input = parse(channelSettingsInput, body);
    const admin = hasRole(user, 'tenant_admin');
    await this.d.db.transaction(async (tx) => {
      const cur = await this.settingsRow(tx, tenantId);
      const fields: Record<string, string> = {};
      const normalizeUrl = (name: string, v: string | undefined, stored: string | null): string | null => {
        if (v === undefined) return stored;
        if (v === '') return null;
        const u = channelUrl(v, this.allowPrivate);
        if (!u) fields[name] = 'invalid_url';
        return u;
      };
      const mastodonUrl = normalizeUrl('mastodonUrl', input.mastodonUrl, cur?.mastodon_url ?? null);
      const webhookUrl = normalizeUrl('webhookUrl', input.webhookUrl, cur?.webhook_url ?? null);
      const newToken = input.mastodonToken ? input.mastodonToken : null;
      const newSecret = input.webhookSecret ? input.webhookSecret : null;
      if (!admin) {
        const changed: string[] = [];
        if (mastodonUrl !== (cur?.mastodon_url ?? null)) changed.push('mastodonUrl');
        if (webhookUrl !== (cur?.webhook_url ?? null)) changed.push('webhookUrl');
        if (newToken) changed.push('mastodonToken');
        if (newSecret) changed.push('webhookSecret');
        if (changed.length) throw new AppError('forbidden', 403, { reason: 'tenant_admin_only', fields: Object.fromEntries(changed.map((c) => [c, 'tenant_admin_only'])) });
      }
      let tokenSealed: string | null = cur?.mastodon_token_sealed ?? null;
      if (mastodonUrl !== (cur?.mastodon_url ?? null)) tokenSealed = null;
      if (newToken) tokenSealed = this.box.seal(newToken, `distribution:mastodon:${tenantId}`);
      if (!mastodonUrl) tokenSealed = null;
      let secretSealed: string | null = cur?.webhook_secret_sealed ?? null;
      if (newSecret) {
        if (newSecret.length < 16) fields.webhookSecret = 'too_short';
        secretSealed = this.box.seal(newSecret, `distribution:webhook:${tenantId}`);
      }
      if (!webhookUrl) secretSealed = null;
      const mastodonEnabled = input.mastodonEnabled ?? cur?.mastodon_enabled ?? false;
      const webhookEnabled = input.webhookEnabled ?? cur?.webhook_enabled ?? false;
      if (mastodonEnabled && !fields.mastodonUrl) {
        if (!mastodonUrl) fields.mastodonUrl = 'required';
        else if (!tokenSealed) fields.mastodonToken = 'required';
      }
      if (webhookEnabled && !fields.webhookUrl) {
        if (!webhookUrl) fields.webhookUrl = 'required';
        else if (!secretSealed && !fields.webhookSecret) fields.webhookSecret = 'required';
      }
      const topics = input.mastodonTopics ? [...new Set(input.mastodonTopics.filter(Boolean))] : (cur?.mastodon_topics ?? []);
      if (input.mastodonTopics && topics.length) {
        const known = await tx.query<{ slug: string }>('select slug from news_topics where tenant_id = $1 and slug = any($2)', [tenantId, topics]);
        if (known.rows.length !== topics.length) fields.mastodonTopics = 'unknown_topic';
      }
      if (Object.keys(fields).length) throw new AppError('validation_failed', 400, { fields });
      await tx.query(
        `insert into distribution_channels (tenant_id, mastodon_enabled, mastodon_url, mastodon_token_sealed, mastodon_visibility, mastodon_language,
           mastodon_kinds, mastodon_topics, webhook_enabled, webhook_url, webhook_secret_sealed, webhook_kinds, updated_by, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now())
         on conflict (tenant_id) do update set mastodon_enabled = $2, mastodon_url = $3, mastodon_token_sealed = $4, mastodon_visibility = $5,
           mastodon_language = $6, mastodon_kinds = $7, mastodon_topics = $8, webhook_enabled = $9, webhook_url = $10, webhook_secret_sealed = $11,
           webhook_kinds = $12, updated_by = $13, updated_at = now()`,
        [
          tenantId,
          mastodonEnabled,
          mastodonUrl,
          tokenSealed,
          input.mastodonVisibility ?? cur?.mastodon_visibility ?? 'public',
          input.mastodonLanguage ?? cur?.mastodon_language ?? 'fi',
          input.mastodonKinds ?? cur?.mastodon_kinds ?? [...SOCIAL_KINDS],
          topics,
          webhookEnabled,
          webhookUrl,
          secretSealed,
          input.webhookKinds ?? cur?.webhook_kinds ?? [...SOCIAL_KINDS],
          user.id,
        ],
      );
      await this.d.audit.record(tx, tenantId, actor, {
        action: 'distribution.settings',
        targetKind: 'distribution_channels',
        details: { mastodonEnabled, webhookEnabled, tokenChanged: Boolean(newToken), secretChanged: Boolean(newSecret) },
        ip: ctx.ip,
      });
    });
    return this.settings(actor, tenantId);
  }

  /**
   * "Test connection": Mastodon answers verify_credentials with the account; the webhook
   * receives a signed `ping` event and must answer 2xx.
   */
  async testConnection(actor: Actor, tenantId: string, channel: string, ctx: { ip?: string } = {}): Promise<{ ok: boolean; account?: string; error?: string }> {
    requireNewsEditor(actor, tenantId);
    if (channel !== 'mastodon' && channel !== 'webhook') throw new AppError('validation_failed', 400, { fields: { channel: 'invalid' } });
    const s = await this.settingsRow(this.d.db, tenantId);
    let result: { ok: boolean; account?: string; error?: string };
    if (channel === 'mastodon') {
      const token = s?.mastodon_token_sealed ? this.box.open(s.mastodon_token_sealed, `distribution:mastodon:${tenantId}`) : null;
      if (!s?.mastodon_url || !token) throw new AppError('validation_failed', 400, { fields: { mastodonToken: 'required' } });
      try {
        await this.checkOutbound(s.mastodon_url);
        const account = await new MastodonClient({ url: s.mastodon_url, token, timeoutMs: 10_000 }).verifyCredentials();
        result = { ok: true, account: account.acct || account.username };
      } catch (e) {
        result = { ok: false, error: e instanceof Error ? e.message.slice(0, 300) : String(e) };
      }
    } else {
      const secret = s?.webhook_secret_sealed ? this.box.open(s.webhook_secret_sealed, `distribution:webhook:${tenantId}`) : null;
      if (!s?.webhook_url || !secret) throw new AppError('validation_failed', 400, { fields: { webhookSecret: 'required' } });
      try {
        const at = this.d.clock.now().toISOString();
        await this.post(s.webhook_url, secret, 'ping', `ping-${Date.now()}`, JSON.stringify({ event: 'ping', at }));
        result = { ok: true };
      } catch (e) {
        result = { ok: false, error: e instanceof Error ? e.message.slice(0, 300) : String(e) };
      }
    }
    await this.d.db.transaction((tx) =>
      this.d.audit.record(tx, tenantId, actor, { action: 'distribution.test', targetKind: 'distribution_channels', details: { channel, ok: result.ok }, ip: ctx.ip }),
    );
    return result;
  }

  // ── delivery status ────────────────────────────────────────────────────────────────────

  /** Deliveries of one item (404 for another tenant's or an unknown item). Audited: e-mail targets are personal data. */
  async forItem(actor: Actor, tenantId: string, itemId: string): Promise<{ item: NewsItem; deliveries: Delivery[] }> {
    requireNewsEditor(actor, tenantId);
    if (!isUuid(itemId)) throw new AppError('not_found', 404);
    const item = await this.d.newsroom.load(tenantId, itemId);
    if (!item) throw new AppError('not_found', 404);
    return this.d.db.transaction(async (tx) => {
      const r = await tx.query<Row>(
        `select ${DELIVERY_COLUMNS} from distribution_deliveries d where d.tenant_id = $1 and d.item_id = $2 order by d.channel, d.phase, d.target`,
        [tenantId, itemId],
      );
      await this.d.audit.record(tx, tenantId, actor, { action: 'distribution.deliveries.read', targetKind: 'news_item', targetId: itemId });
      return { item, deliveries: r.rows.map(deliveryFromRow) };
    });
  }

  /** The latest deliveries across items (the channels page). */
  async recent(actor: Actor, tenantId: string, limit = 30): Promise<Delivery[]> {
    requireNewsEditor(actor, tenantId);
    return this.d.db.transaction(async (tx) => {
      const r = await tx.query<Row>(
        `select ${DELIVERY_COLUMNS}, i.title as item_title from distribution_deliveries d
         join news_items i on i.tenant_id = d.tenant_id and i.id = d.item_id
         where d.tenant_id = $1 order by d.created_at desc, d.id limit $2`,
        [tenantId, Math.min(Math.max(limit, 1), 200)],
      );
      await this.d.audit.record(tx, tenantId, actor, { action: 'distribution.deliveries.read', targetKind: 'distribution_deliveries' });
      return r.rows.map(deliveryFromRow);
    });
  }

  /** Retries a failed delivery: back to pending with a new job (the same id, so Mastodon's Idempotency-Key still holds). */
  async retry(actor: Actor, tenantId: string, deliveryId: string, ctx: { ip?: string } = {}): Promise<Delivery> {
    requireNewsEditor(actor, tenantId);
    if (!isUuid(deliveryId)) throw new AppError('not_found', 404);
    return this.d.db.transaction(async (tx) => {
      const cur = await tx.query<Row>(`select ${DELIVERY_COLUMNS} from distribution_deliveries d where d.tenant_id = $1 and d.id = $2 for update`, [tenantId, deliveryId]);
      if (!cur.rows[0]) throw new AppError('not_found', 404);
      if (cur.rows[0].status !== 'failed') throw new AppError('conflict', 409, { reason: 'not_failed', status: cur.rows[0].status });
      const r = await tx.query<Row>(
        `update distribution_deliveries d set status = 'pending', updated_at = now() where id = $1 returning ${DELIVERY_COLUMNS}`,
        [deliveryId],
      );
      await this.d.jobs.enqueue(tx, 'distribution.deliver', { tenantId, deliveryId });
      await this.d.audit.record(tx, tenantId, actor, { action: 'distribution.retry', targetKind: 'distribution_delivery', targetId: deliveryId, ip: ctx.ip });
      return deliveryFromRow(r.rows[0]);
    });
  }
}
