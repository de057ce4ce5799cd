import type { Db } from '../../platform/db.ts';
import { outboxHeaders, type EmailAdapter, type EmailMessage, type HandOver } from './email.ts';

/**
 * The embedded default: every message is stored in outbox_messages exactly as it would
 * have been sent (sender, threading headers and the attachments' names and sizes
 * included), and the staff console's Outbox page shows it. Tests can make it fail on
 * purpose (failNext) to exercise retries.
 */
export class CaptureEmailAdapter implements EmailAdapter {
  readonly kind = 'capture' as const;
  private failures = 0;

  constructor(
    private db: Db,
    private from?: string,
  ) {}

  /** The next n sends throw, as an unreachable mail server would. */
  failNext(n = 1) {
    this.failures += n;
  }

  async send(m: EmailMessage, handOver?: HandOver) {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('capture adapter: simulated delivery failure');
    }
    const finish = await handOver?.();
    if (finish) finish();
    const r = await this.db.query<{ id: string }>(
      `insert into outbox_messages (tenant_id, channel, recipient, subject, body_text, body_html, headers, status)
       values ($1, 'email', $2, $3, $4, $5, $6, 'captured') returning id`,
      [m.tenantId, m.to, m.subject, m.text, m.html ?? null, JSON.stringify(outboxHeaders(m, m.messageId, this.from))],
    );
    return { messageId: m.messageId ?? `<${r.rows[0].id}@capture.aukio>` };
  }
}
