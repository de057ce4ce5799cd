import { hmac, safeEqual } from '../../platform/crypto.ts';

/**
 * Links in mails carry signed tokens rather than stored secrets: a token names the
 * subscriber (and for unsubscribe the campaign it came from, for the report) and an HMAC
 * under SESSION_SECRET proves it came from us. Nothing to look up, nothing to leak from
 * the database; changing SESSION_SECRET invalidates old links.
 */
export type TokenPurpose = 'confirm' | 'prefs' | 'unsub' | 'open';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const hex = (uuid: string) => uuid.replace(/-/g, '');
const unhex = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;

export class LinkTokens {
  constructor(private secret: string) {}

  private sig(purpose: string, body: string) {
    return hmac(this.secret, `newsletter:${purpose}:${body}`).slice(0, 22);
  }

  /** subscriberId (and campaignId for unsub/open) → a URL-safe token. */
  make(purpose: TokenPurpose, subscriberId: string, campaignId?: string | null): string {
    const body = campaignId ? `${hex(subscriberId)}${hex(campaignId)}` : hex(subscriberId);
    return `${body}${this.sig(purpose, body)}`;
  }

  read(purpose: TokenPurpose, token: string): { subscriberId: string; campaignId: string | null } | null {
    if (typeof token !== 'string' || !/^[0-9a-f]{32}([0-9a-f]{32})?[\w-]{22}$/.test(token)) return null;
    const body = token.slice(0, -22);
    if (!safeEqual(token.slice(-22), this.sig(purpose, body))) return null;
    const subscriberId = unhex(body.slice(0, 32));
    const campaignId = body.length === 64 ? unhex(body.slice(32)) : null;
    if (!UUID.test(subscriberId) || (campaignId && !UUID.test(campaignId))) return null;
    return { subscriberId, campaignId };
  }

  /**
   * The VERP local part's token: campaign and subscriber in base64url plus a short MAC,
   * short enough for the 64-character limit of "bounces+<token>".
   */
  bounce(campaignId: string, subscriberId: string): string {
    const ids = Buffer.concat([Buffer.from(hex(campaignId), 'hex'), Buffer.from(hex(subscriberId), 'hex')]);
    return ids.toString('base64url') + this.sig('bounce', ids.toString('base64url')).slice(0, 10);
  }

  readBounce(token: string): { campaignId: string; subscriberId: string } | null {
    if (!/^[\w-]{43}[\w-]{10}$/.test(token)) return null;
    const body = token.slice(0, 43);
    if (!safeEqual(token.slice(43), this.sig('bounce', body).slice(0, 10))) return null;
    const ids = Buffer.from(body, 'base64url').toString('hex');
    if (ids.length !== 64) return null;
    return { campaignId: unhex(ids.slice(0, 32)), subscriberId: unhex(ids.slice(32)) };
  }
}
