import { simpleParser } from 'mailparser';
import type { InboundEmail } from '../inbox/email-channel.ts';
import type { InboundRecipientHandler } from '../inbox/email-inbound.ts';
import type { Logger } from '../../platform/log.ts';
import type { NewsletterService } from './campaigns.ts';
import type { LinkTokens } from './tokens.ts';

/**
 * Asynchronous bounces: every newsletter message leaves with a VERP envelope sender
 * bounces+<token>@<domain>, so a delivery status notification (RFC 3464, multipart/report)
 * comes back to that address naming the campaign and subscriber without parsing the
 * returned copy. The inbound SMTP listener accepts these addresses (only with a valid
 * token) next to the teams' addresses.
 */

export interface DsnVerdict {
  kind: 'hard' | 'soft' | null;
  status: string | null;
  action: string | null;
}

const BOUNCE_ADDRESS = /^bounces\+([\w-]{53})@/i;

/** Reads the delivery-status part (or, failing that, the whole text): Status 5.x.x = hard, 4.x.x = soft. */
export async function readDsn(raw: Buffer): Promise<DsnVerdict> {
  let text = '';
  try {
    const parsed = await simpleParser(raw);
    const part = parsed.attachments.find((a) => /^message\/(global-)?delivery-status$/i.test(a.contentType));
    text = part ? part.content.toString('utf8') : '';
  } catch {
    text = '';
  }
  if (!text) text = raw.toString('utf8');
  // Per-recipient fields follow the per-message ones; the first recipient block decides.
  const status = /^Status:\s*([245]\.\d{1,3}\.\d{1,3})/im.exec(text)?.[1] ?? null;
  const action = /^Action:\s*([a-z]+)/im.exec(text)?.[1]?.toLowerCase() ?? null;
  if (!status) return { kind: null, status, action };
  if (status.startsWith('5') && action !== 'delivered' && action !== 'relayed' && action !== 'expanded') return { kind: 'hard', status, action };
  if (status.startsWith('4') || action === 'delayed') return { kind: 'soft', status, action };
  return { kind: null, status, action };
}

export function bounceHandler(tokens: LinkTokens, newsletters: NewsletterService, log: Logger): InboundRecipientHandler {
  const tokenOf = (address: string) => {
    const m = BOUNCE_ADDRESS.exec(address.trim());
    return m ? tokens.readBounce(m[1]) : null;
  };
  return {
    accepts: (address) => tokenOf(address) !== null,
    async ingest(mail: InboundEmail) {
      const verdict = await readDsn(mail.raw);
      if (!verdict.kind) {
        log.info({ status: verdict.status, action: verdict.action }, 'newsletter bounce address: not a failure report, ignored');
        return;
      }
      for (const r of mail.recipients) {
        const t = tokenOf(r);
        if (t) await newsletters.recordBounce(t.campaignId, t.subscriberId, verdict.kind, `DSN ${verdict.status ?? ''} ${verdict.action ?? ''}`.trim());
      }
    },
  };
}
