/** What the product asks of an e-mail channel. Implementations: smtp.ts, capture.ts. */
export interface EmailMessage {
  tenantId: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

export interface EmailAdapter {
  readonly kind: 'smtp' | 'capture';
  /** Resolves only when the message was accepted (SMTP) or stored (capture). */
  send(message: EmailMessage): Promise<{ messageId: string }>;
}
