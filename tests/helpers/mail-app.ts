import { startTestApp, type TestApp } from './app.ts';
import type { TestEngine } from './engines.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';

export interface MailTestApp {
  app: TestApp;
  sink: SmtpSink;
  /** The app's inbound SMTP listener (send residents' mail here). */
  inboundPort: number;
  close(): Promise<void>;
}

/**
 * The app wired for e-mail end to end: EMAIL_ADAPTER=smtp to a fresh sink, the inbound
 * listener on a free port (main.ts starts it in production; the test app is assembled by
 * hand, so it is started here), and EMAIL_FROM Aukio <no-reply@aukio.test>.
 */
export async function startMailTestApp(engine: TestEngine['name'], opts: { env?: Record<string, string> } = {}): Promise<MailTestApp> {
  const sink = await startSmtpSink();
  const app = await startTestApp(engine, {
    env: { INBOUND_SMTP_PORT: '0', EMAIL_ADAPTER: 'smtp', SMTP_URL: sink.url, EMAIL_FROM: 'Aukio <no-reply@aukio.test>', ...opts.env },
  });
  await app.services.inboundMail.startSmtp();
  return {
    app,
    sink,
    inboundPort: app.services.inboundMail.port!,
    close: async () => {
      await app.services.inboundMail.close();
      await app.close();
      await sink.close();
    },
  };
}
