import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { SmtpError, SmtpPool } from './smtp-pool.ts';

/*
 * The bulk SMTP pool against a real SMTP server (smtp-server on 127.0.0.1), and against a
 * few scripted servers for what a well-behaved server never does (hang up after 354,
 * hang up mid-body, never greet). The point of the pool is the hand-over hook right before
 * the final dot, so the hook's timing is checked from the server's side, and with a sending
 * process that is killed (SIGKILL) right before and right after the dot.
 */

interface Received {
  raw: Buffer;
  from: string | null;
  to: string[];
  secure: boolean;
  user: unknown;
}

/** One DATA stream as the server sees it, from the first byte on. */
interface Incoming {
  chunks: Buffer[];
  /** The server read the final dot (its stream ended). */
  ended: boolean;
  /** The stream was destroyed: the connection closed before the final dot. */
  aborted: boolean;
  text(): string;
}

interface Sink {
  url: string;
  port: number;
  messages: Received[];
  incoming: Incoming[];
  stats: { open: number; maxOpen: number; total: number };
  /** Client → server bytes of each connection, one entry per TCP read (only with `wire`). */
  wire: Buffer[][];
  auths: { method: string; username?: string; password?: string | null }[];
  close(): Promise<void>;
}

interface SinkOptions {
  server?: Partial<SMTPServerOptions>;
  wire?: boolean;
  /** The server's verdict on a complete message: an error (with responseCode) refuses it, 'hang' never answers. */
  verdict?: (raw: Buffer) => Error | 'hang' | undefined;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startSink(opts: SinkOptions = {}): Promise<Sink> {
  const messages: Received[] = [];
  const incoming: Incoming[] = [];
  const stats = { open: 0, maxOpen: 0, total: 0 };
  const wire: Buffer[][] = [];
  const auths: Sink['auths'] = [];
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onConnect(_session, callback) {
      stats.total++;
      stats.open++;
      stats.maxOpen = Math.max(stats.maxOpen, stats.open);
      callback();
    },
    onClose() {
      stats.open--;
    },
    onAuth(auth, _session, callback) {
      auths.push({ method: auth.method, username: auth.username, password: auth.password });
      if (auth.username === 'list-sender@aukio.test' && auth.password === 'pä ss:w@rd/%') return callback(null, { user: auth.username });
      callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const i: Incoming = { chunks: [], ended: false, aborted: false, text: () => Buffer.concat(i.chunks).toString('utf8') };
      incoming.push(i);
      stream.on('data', (c: Buffer) => i.chunks.push(c));
      // smtp-server destroys the stream (with an error, when someone listens) if the client
      // goes away before the final dot.
      stream.on('error', () => (i.aborted = true));
      stream.on('close', () => {
        if (!i.ended) i.aborted = true;
      });
      stream.on('end', () => {
        i.ended = true;
        const raw = Buffer.concat(i.chunks);
        const verdict = opts.verdict?.(raw);
        if (verdict === 'hang') return;
        if (verdict) return callback(verdict);
        messages.push({
          raw,
          from: session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          user: session.user,
        });
        callback();
      });
    },
    ...opts.server,
  });
  // A client that hangs up mid-message is an 'error' event; unheard it would crash the suite.
  server.on('error', () => {});
  if (opts.wire) {
    server.server.on('connection', (socket: Socket) => {
      const reads: Buffer[] = [];
      wire.push(reads);
      socket.on('data', (c: Buffer) => reads.push(Buffer.from(c)));
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  const sink: Sink = {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    incoming,
    stats,
    wire,
    auths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  cleanups.push(sink.close);
  return sink;
}

function pool(opts: ConstructorParameters<typeof SmtpPool>[0]) {
  const p = new SmtpPool(opts);
  cleanups.push(() => p.close());
  return p;
}

/**
 * A scripted server: greets (unless greeting is null), answers EHLO/HELO/MAIL/RCPT/DATA/RSET/QUIT
 * like a simple server without extensions (`reply` overrides that), answers the final dot with
 * 250, and tells `onData` of DATA (chunk null; it must then answer 354 itself) and of each piece
 * of the body.
 */
async function startScripted(opts: {
  greeting?: string | null;
  reply?: (command: string) => string | undefined;
  onData?: (socket: Socket, chunk: Buffer | null) => void;
}) {
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (opts.greeting !== null) socket.write(`${opts.greeting ?? '220 scripted.test ready'}\r\n`);
    let buffer = '';
    let inData = false;
    let tail = '';
    socket.on('data', (chunk: Buffer) => {
      if (inData) {
        opts.onData?.(socket, chunk);
        tail = (tail + chunk.toString('latin1', Math.max(0, chunk.length - 5))).slice(-5);
        if (tail !== '\r\n.\r\n') return;
        inData = false;
        tail = '';
        if (!socket.destroyed) socket.write('250 queued\r\n');
        return;
      }
      buffer += chunk.toString('latin1');
      let nl;
      while (!inData && (nl = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        commands.push(line);
        const verb = line.split(/[ :]/)[0].toUpperCase();
        const custom = opts.reply?.(line);
        if (custom !== undefined) socket.write(`${custom}\r\n`);
        else if (verb === 'DATA') {
          inData = true;
          if (opts.onData) opts.onData(socket, null);
          else socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write(verb === 'EHLO' || verb === 'HELO' ? '250 scripted.test\r\n' : '250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  let connections = 0;
  server.on('connection', () => connections++);
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  cleanups.push(close);
  return { url: `smtp://127.0.0.1:${port}`, commands, connections: () => connections };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string, timeoutMs = 3_000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const env = { from: 'bounces@aukio.test', to: 'maija@example.org' };

/** A message whose X-Seq header tells which one it is. `body` as given (LF or CRLF). */
function message(seq: number, body = 'Hei!\r\n', headers = '') {
  return Buffer.from(`From: Aukio <no-reply@aukio.test>\r\nTo: maija@example.org\r\nSubject: Uutiskirje ${seq}\r\nX-Seq: ${seq}\r\n${headers}\r\n${body}`, 'utf8');
}

const seqOf = (raw: Buffer) => Number(/^X-Seq: (\d+)$/m.exec(raw.toString('latin1'))?.[1]);

/** The promise's rejection; fails the test if it resolves. */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

// A broken pool tends to hang rather than throw; fail fast instead of at the 60 s default.
describe('SmtpPool', { timeout: 10_000 }, () => {
  it('carries many messages over at most `connections` kept-open connections, each exactly once and byte for byte', async () => {
    const sink = await startSink();
    const p = pool({ url: sink.url, connections: 3 });
    // Body variants; `sent` is what the caller gives, `wire` what the server must end up with.
    const qp = 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n';
    const variants = [
      // Lines starting with '.', '..', and a line that is only '.' (would end DATA unstuffed).
      { headers: '', sent: '.alku\r\n..kaksi\r\n.\r\nloppu\r\n', wire: '.alku\r\n..kaksi\r\n.\r\nloppu\r\n' },
      // Bare LF (and bare CR) in, CRLF out; also the dot lines.
      { headers: '', sent: 'rivi 1\nrivi 2\n.piste\n\nloppu\rCR\n', wire: 'rivi 1\r\nrivi 2\r\n.piste\r\n\r\nloppu\r\nCR\r\n' },
      // Quoted-printable UTF-8 (as MailComposer encodes it), then raw 8-bit UTF-8, and no final newline.
      { headers: qp, sent: 'Hyv=C3=A4=C3=A4 p=C3=A4iv=C3=A4=C3=A4!\r\n=E2=82=AC 5\r\nÄäkkösiä: €', wire: 'Hyv=C3=A4=C3=A4 p=C3=A4iv=C3=A4=C3=A4!\r\n=E2=82=AC 5\r\nÄäkkösiä: €\r\n' },
    ];
    const n = 200;
    const results = await Promise.all(Array.from({ length: n }, (_, seq) => p.send(env, message(seq, variants[seq % 3].sent, variants[seq % 3].headers))));
    expect(results.every((r) => /^250 /.test(r.response))).toBe(true);

    expect(sink.messages).toHaveLength(n);
    const seqs = sink.messages.map((m) => seqOf(m.raw)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: n }, (_, i) => i));
    for (const m of sink.messages) {
      const seq = seqOf(m.raw);
      const v = variants[seq % 3];
      expect(m.raw.equals(Buffer.concat([message(seq, '', v.headers), Buffer.from(v.wire, 'utf8')]))).toBe(true);
      expect(m.from).toBe(env.from);
      expect(m.to).toEqual([env.to]);
    }
    const utf8 = await simpleParser(sink.messages.find((m) => seqOf(m.raw) % 3 === 2)!.raw);
    expect(utf8.text).toBe('Hyvää päivää!\n€ 5\nÄäkkösiä: €\n');
    // Three connections, opened once and reused for all 200.
    expect(sink.stats.maxOpen).toBe(3);
    expect(sink.stats.total).toBe(3);
  });

  it('serves waiting sends first come, first served', async () => {
    const sink = await startSink();
    const p = pool({ url: sink.url, connections: 1 });
    await Promise.all([0, 1, 2, 3, 4].map((seq) => p.send(env, message(seq))));
    expect(sink.messages.map((m) => seqOf(m.raw))).toEqual([0, 1, 2, 3, 4]);
  });

  it.each([
    { pipelining: true, server: {} },
    { pipelining: false, server: { hidePIPELINING: true } },
  ])('sends MAIL, RCPT and DATA in one write only when PIPELINING is offered ($pipelining)', async ({ pipelining, server }) => {
    const sink = await startSink({ server, wire: true });
    const p = pool({ url: sink.url, connections: 1 });
    await p.send(env, message(1));
    await p.send(env, message(2));
    expect(sink.messages.map((m) => seqOf(m.raw))).toEqual([1, 2]);
    const reads = sink.wire[0].map((b) => b.toString('latin1'));
    const withMail = reads.filter((r) => r.includes('MAIL FROM:'));
    expect(withMail).toHaveLength(2);
    for (const r of withMail) {
      if (pipelining) expect(r).toBe('MAIL FROM:<bounces@aukio.test>\r\nRCPT TO:<maija@example.org>\r\nDATA\r\n');
      else expect(r).toBe('MAIL FROM:<bounces@aukio.test>\r\n');
    }
  });

  it('authenticates with AUTH PLAIN, and with AUTH LOGIN when that is all the server offers (URL-decoded credentials)', async () => {
    const creds = `${encodeURIComponent('list-sender@aukio.test')}:${encodeURIComponent('pä ss:w@rd/%')}`;
    for (const [methods, expected] of [
      [['PLAIN', 'LOGIN'], 'PLAIN'],
      [['LOGIN'], 'LOGIN'],
    ] as const) {
      // authOptional false: MAIL FROM without a successful AUTH would be refused with 530.
      const sink = await startSink({ server: { disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authOptional: false, authMethods: [...methods] } });
      const p = pool({ url: `smtp://${creds}@127.0.0.1:${sink.port}`, connections: 1 });
      await p.send(env, message(1));
      await p.send(env, message(2));
      expect(sink.auths).toEqual([{ method: expected, username: 'list-sender@aukio.test', password: 'pä ss:w@rd/%' }]);
      expect(sink.messages.map((m) => m.user)).toEqual(['list-sender@aukio.test', 'list-sender@aukio.test']);
    }
  });

  it('reports a refused login as an SmtpError of the AUTH command', async () => {
    const sink = await startSink({ server: { disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authOptional: false } });
    const p = pool({ url: `smtp://list-sender%40aukio.test:wrong@127.0.0.1:${sink.port}`, connections: 1 });
    const e = await rejection(p.send(env, message(1)));
    expect(e).toBeInstanceOf(SmtpError);
    expect(e).toMatchObject({ command: 'AUTH PLAIN', responseCode: 535, handedOver: false });
    expect(sink.messages).toHaveLength(0);
  });

  it('upgrades with STARTTLS when offered (self-signed certificate accepted only when the URL says so), not with ignoreTLS', async () => {
    // No key/cert: smtp-server uses its built-in self-signed certificate.
    const sink = await startSink({ server: { disabledCommands: ['AUTH'] } });
    const p = pool({ url: `${sink.url}?tls.rejectUnauthorized=false`, connections: 1 });
    await p.send(env, message(1));
    await p.send(env, message(2));
    expect(sink.messages.map((m) => m.secure)).toEqual([true, true]);

    const plain = pool({ url: `${sink.url}?ignoreTLS=true`, connections: 1 });
    await plain.send(env, message(3));
    expect(sink.messages[2].secure).toBe(false);

    const strict = pool({ url: sink.url, connections: 1 });
    const e = await rejection(strict.send(env, message(4)));
    expect(e).toBeInstanceOf(SmtpError);
    expect(e).toMatchObject({ command: 'STARTTLS', responseCode: undefined, handedOver: false });
    expect(sink.messages).toHaveLength(3);
  });

  it('speaks implicit TLS with smtps://', async () => {
    const sink = await startSink({ server: { secure: true, disabledCommands: ['AUTH'] } });
    const p = pool({ url: `smtps://127.0.0.1:${sink.port}?tls.rejectUnauthorized=false`, connections: 1 });
    await p.send(env, message(1));
    expect(sink.messages.map((m) => m.secure)).toEqual([true]);

    const strict = pool({ url: `smtps://127.0.0.1:${sink.port}`, connections: 1 });
    const e = await rejection(strict.send(env, message(2)));
    expect(e).toMatchObject({ command: 'CONN', responseCode: undefined, handedOver: false });
  });

  it.each([{ hidePIPELINING: false }, { hidePIPELINING: true }])('reports a refused sender or recipient with its own code, RSETs and keeps the connection (%o)', async (server) => {
    const sink = await startSink({
      wire: true,
      server: {
        ...server,
        onMailFrom(address, _session, callback) {
          if (address.address.startsWith('blocked')) return callback(Object.assign(new Error('sender blocked'), { responseCode: 553 }));
          callback();
        },
        onRcptTo(address, _session, callback) {
          if (address.address.startsWith('nobody')) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
          if (address.address.startsWith('full')) return callback(Object.assign(new Error('mailbox full, try later'), { responseCode: 452 }));
          callback();
        },
      },
    });
    const p = pool({ url: sink.url, connections: 1 });
    const hard = await rejection(p.send({ ...env, to: 'nobody@example.org' }, message(1)));
    expect(hard).toBeInstanceOf(SmtpError);
    expect(hard).toMatchObject({ command: 'RCPT TO', responseCode: 550, handedOver: false });
    expect((hard as SmtpError).response).toMatch(/^550 .*mailbox unavailable/);
    await p.send(env, message(2));
    const soft = await rejection(p.send({ ...env, to: 'full@example.org' }, message(3)));
    expect(soft).toMatchObject({ command: 'RCPT TO', responseCode: 452, handedOver: false });
    const sender = await rejection(p.send({ ...env, from: 'blocked@aukio.test' }, message(4)));
    expect(sender).toMatchObject({ command: 'MAIL FROM', responseCode: 553, handedOver: false });
    await p.send(env, message(5));
    expect(sink.messages.map((m) => seqOf(m.raw))).toEqual([2, 5]);
    // One connection throughout, reset after each refusal.
    expect(sink.stats.total).toBe(1);
    const sent = Buffer.concat(sink.wire[0]).toString('latin1');
    expect(sent.match(/^RSET\r\n/gm)).toHaveLength(3);
  });

  it('closes instead of sending a body when a pipelining server answers DATA with 354 after refusing the recipient', async () => {
    const scripted = await startScripted({
      reply: (line) => {
        if (line.startsWith('EHLO')) return '250-scripted.test\r\n250 PIPELINING';
        if (line.startsWith('RCPT') && line.includes('nobody')) return '550 no such user';
        if (line === 'DATA' && scripted.commands.at(-2)?.includes('nobody')) return '354 go ahead anyway';
        return undefined;
      },
    });
    const p = pool({ url: scripted.url, connections: 1 });
    const e = await rejection(p.send({ ...env, to: 'nobody@example.org' }, message(1, 'MARK-1\r\n')));
    expect(e).toMatchObject({ command: 'RCPT TO', responseCode: 550, response: '550 no such user', handedOver: false });
    // Nothing after DATA: no body, no RSET (which would be taken for a line of the body).
    expect(scripted.commands.slice(1)).toEqual(['MAIL FROM:<bounces@aukio.test>', 'RCPT TO:<nobody@example.org>', 'DATA']);
    // The next message goes over a new connection.
    expect(await p.send(env, message(2))).toEqual({ response: '250 queued' });
    expect(scripted.connections()).toBe(2);
  });

  it('reports a message refused at the final dot as handed over, and keeps the connection', async () => {
    const sink = await startSink({ verdict: (raw) => (raw.includes('X-Too-Big') ? Object.assign(new Error('message too big'), { responseCode: 552 }) : undefined) });
    const p = pool({ url: sink.url, connections: 1 });
    const e = await rejection(p.send(env, message(1, 'x\r\n', 'X-Too-Big: yes\r\n')));
    expect(e).toBeInstanceOf(SmtpError);
    expect(e).toMatchObject({ command: 'END', responseCode: 552, handedOver: true });
    expect((e as SmtpError).response).toMatch(/^552 /);
    await p.send(env, message(2));
    expect(sink.messages.map((m) => seqOf(m.raw))).toEqual([2]);
    expect(sink.stats.total).toBe(1);
  });

  it('runs handOver once per message, after the server has the whole body and before the final dot', async () => {
    const sink = await startSink();
    const p = pool({ url: sink.url, connections: 2 });
    const calls = new Map<number, number>();
    await Promise.all(
      [1, 2, 3, 4, 5].map((seq) =>
        p.send(env, message(seq, `rivi\r\nMARK-${seq}\r\nloppu\r\n`), async () => {
          calls.set(seq, (calls.get(seq) ?? 0) + 1);
          await until(() => sink.incoming.some((i) => i.text().includes(`MARK-${seq}`)), `the body of ${seq} at the server`);
          const incoming = sink.incoming.find((i) => i.text().includes(`MARK-${seq}`))!;
          // The server has the body but cannot have ended the message: the dot is not out.
          await sleep(20);
          expect(incoming.ended).toBe(false);
          expect(sink.messages.some((m) => seqOf(m.raw) === seq)).toBe(false);
        }),
      ),
    );
    expect([...calls.entries()].sort()).toEqual([1, 2, 3, 4, 5].map((seq) => [seq, 1]));
    expect(sink.messages.map((m) => seqOf(m.raw)).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(sink.incoming.every((i) => i.ended)).toBe(true);
  });

  it('runs handOver only once the whole body has left the process, however slowly the server reads', async () => {
    let resumedAt = 0;
    let received = 0;
    const scripted = await startScripted({
      onData: (socket, chunk) => {
        if (chunk === null) {
          socket.write('354 go ahead\r\n');
          // Stop reading for a while: the body backs up into the pool's socket.
          socket.pause();
          setTimeout(() => {
            resumedAt = Date.now();
            socket.resume();
          }, 300);
          return;
        }
        received += chunk.length;
      },
    });
    const p = pool({ url: scripted.url, connections: 1 });
    // Far more than loopback socket buffers hold.
    const raw = Buffer.concat([message(1, ''), Buffer.alloc(12 * 2_800_000, 'abcdefghij\r\n')]);
    let calledAt = 0;
    await p.send(env, raw, async () => {
      calledAt = Date.now();
    });
    expect(resumedAt).toBeGreaterThan(0);
    expect(calledAt).toBeGreaterThanOrEqual(resumedAt);
    expect(received).toBe(raw.length + 3);
  });

  it.each([{ tls: false }, { tls: true }])('after kill -9 the server has a message exactly when its dot was written (TLS: $tls)', async ({ tls }) => {
    const sink = await startSink({ server: tls ? { disabledCommands: ['AUTH'] } : {} });
    const url = tls ? `${sink.url}?tls.rejectUnauthorized=false` : sink.url;
    // A sending process that kills itself (SIGKILL, no clean-up of any kind) either inside the
    // hook, before the dot, or right after the pool wrote the dot.
    const script = `
      const { SmtpPool } = await import(${JSON.stringify(new URL('./smtp-pool.ts', import.meta.url).href)});
      const pool = new SmtpPool({ url: process.env.SMTP_URL, connections: 1 });
      const kill = () => process.kill(process.pid, 'SIGKILL');
      // The head from the test, then 1.2 MB of body: more than goes out in one segment.
      const raw = Buffer.concat([Buffer.from(process.env.HEAD, 'base64'), Buffer.alloc(12 * 100000, 'abcdefghij\\r\\n')]);
      await pool.send({ from: 'bounces@aukio.test', to: 'maija@example.org' }, raw,
        async () => (process.env.WHEN === 'before-dot' ? kill() : () => queueMicrotask(kill)));
    `;
    const run = (when: 'before-dot' | 'after-dot', head: Buffer) =>
      new Promise<NodeJS.Signals | null>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          env: { ...process.env, SMTP_URL: url, WHEN: when, HEAD: head.toString('base64') },
          stdio: 'ignore',
        });
        child.on('exit', (_code, signal) => resolve(signal));
      });
    expect(await run('before-dot', message(1, ''))).toBe('SIGKILL');
    expect(await run('after-dot', message(2, ''))).toBe('SIGKILL');
    await until(() => sink.incoming.length === 2 && sink.incoming[0].aborted && sink.incoming[1].ended, 'the server to see both');
    await until(() => sink.messages.length === 1, 'the complete message');
    expect(sink.messages.map((m) => seqOf(m.raw))).toEqual([2]);
    expect(sink.messages[0].raw.length).toBe(message(2, '').length + 12 * 100_000);
    expect(sink.messages[0].secure).toBe(tls);
  });

  it('when handOver rejects, never completes the message, rejects with that very error, and the queue goes on', async () => {
    const sink = await startSink();
    const p = pool({ url: sink.url, connections: 1 });
    await p.send(env, message(1));
    const ledgerDown = new Error('ledger down');
    const failing = p.send(env, message(2, 'MARK-2\r\nloppu\r\n'), async () => {
      await until(() => sink.incoming.some((i) => i.text().includes('MARK-2')), 'the body at the server');
      throw ledgerDown;
    });
    // Queued behind the failing one on the single connection.
    const next = p.send(env, message(3));
    expect(await rejection(failing)).toBe(ledgerDown);
    await next;
    const aborted = sink.incoming.find((i) => i.text().includes('MARK-2'))!;
    await until(() => aborted.aborted, 'the server to drop the partial message');
    expect(aborted.ended).toBe(false);
    expect(sink.messages.map((m) => seqOf(m.raw))).toEqual([1, 3]);
    // The broken connection was replaced.
    expect(sink.stats.total).toBe(2);
  });

  it('calls a function handOver resolves to right before the dot; if it throws, the message is not completed', async () => {
    const sink = await startSink();
    const p = pool({ url: sink.url, connections: 1 });
    const order: string[] = [];
    const done = p.send(env, message(1, 'MARK-1\r\nloppu\r\n'), async () => {
      order.push('handOver');
      return () => {
        order.push('finish');
        expect(sink.incoming[0].ended).toBe(false);
      };
    });
    await done;
    order.push('replied');
    expect(order).toEqual(['handOver', 'finish', 'replied']);
    expect(sink.messages).toHaveLength(1);

    const boom = new Error('mark not written');
    const e = await rejection(
      p.send(env, message(2, 'MARK-2\r\nloppu\r\n'), async () => () => {
        throw boom;
      }),
    );
    expect(e).toBe(boom);
    await until(() => sink.incoming.find((i) => i.text().includes('MARK-2'))?.aborted === true, 'the server to drop the partial message');
    expect(sink.messages).toHaveLength(1);
  });

  it('fails with handedOver false when the server hangs up after 354, and does not call the hand-over function', async () => {
    const scripted = await startScripted({
      onData: (socket, chunk) => {
        if (chunk === null) socket.end('354 go ahead\r\n');
      },
    });
    const p = pool({ url: scripted.url, connections: 1, timeoutMs: 2_000 });
    let finished = false;
    const e = await rejection(
      p.send(env, message(1), async () => {
        // Meanwhile the pool learns that the server has gone.
        await sleep(100);
        return () => (finished = true);
      }),
    );
    expect(e).toBeInstanceOf(SmtpError);
    expect(e).toMatchObject({ command: 'MESSAGE', responseCode: undefined, handedOver: false });
    expect(finished).toBe(false);
  });

  it('fails with handedOver false when the server hangs up in the middle of the body', async () => {
    const scripted = await startScripted({
      onData: (socket, chunk) => {
        if (chunk === null) socket.write('354 go ahead\r\n');
        // With unread data in its buffer the close is a reset.
        else socket.destroy();
      },
    });
    const p = pool({ url: scripted.url, connections: 1, timeoutMs: 2_000 });
    // Far more than loopback socket buffers hold, so the pool is still writing when the reset comes.
    const big = Buffer.alloc(48 * 1024 * 1024, 'abcdefghij\r\n');
    let called = false;
    const e = await rejection(
      p.send(env, Buffer.concat([message(1, ''), big]), async () => {
        called = true;
      }),
    );
    expect(e).toBeInstanceOf(SmtpError);
    expect(e).toMatchObject({ command: 'MESSAGE', responseCode: undefined, handedOver: false });
    expect(called).toBe(false);
  });

  it('fails with handedOver true when the server never answers the final dot, and replaces that connection', async () => {
    const sink = await startSink({ verdict: (raw) => (raw.includes('X-Hang') ? 'hang' : undefined) });
    const p = pool({ url: sink.url, connections: 1, timeoutMs: 500 });
    const started = Date.now();
    const e = await rejection(p.send(env, message(1, 'x\r\n', 'X-Hang: yes\r\n')));
    expect(e).toBeInstanceOf(SmtpError);
    expect(e).toMatchObject({ command: 'END', responseCode: undefined, handedOver: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(sink.incoming[0].ended).toBe(true);
    await p.send(env, message(2));
    expect(sink.messages.map((m) => seqOf(m.raw))).toEqual([2]);
    expect(sink.stats.total).toBe(2);
  });

  it('times out a server that never greets, reports a refusing greeting, and falls back to HELO', async () => {
    const silent = await startScripted({ greeting: null });
    const e1 = await rejection(pool({ url: silent.url, connections: 1, timeoutMs: 300 }).send(env, message(1)));
    expect(e1).toMatchObject({ command: 'GREETING', responseCode: undefined, handedOver: false });

    const busy = await startScripted({ greeting: '554 not now' });
    const e2 = await rejection(pool({ url: busy.url, connections: 1 }).send(env, message(1)));
    expect(e2).toMatchObject({ command: 'GREETING', responseCode: 554, response: '554 not now' });

    const old = await startScripted({ reply: (line) => (line.startsWith('EHLO') ? '502 5.5.1 EHLO is not supported here' : undefined) });
    const p = pool({ url: old.url, connections: 1, name: 'sender.aukio.test' });
    expect(await p.send(env, message(1))).toEqual({ response: '250 queued' });
    await p.close();
    expect(old.commands).toEqual(['EHLO sender.aukio.test', 'HELO sender.aukio.test', 'MAIL FROM:<bounces@aukio.test>', 'RCPT TO:<maija@example.org>', 'DATA', 'QUIT']);
  });

  it('refuses envelope addresses that could inject commands before writing anything', async () => {
    const sink = await startSink({ wire: true });
    const p = pool({ url: sink.url, connections: 1 });
    for (const [envelope, command] of [
      [{ from: env.from, to: 'a@example.org>\r\nRCPT TO:<b@example.org' }, 'RCPT TO'],
      [{ from: env.from, to: 'a@example.org\nDATA' }, 'RCPT TO'],
      [{ from: 'x@aukio.test> SIZE=1', to: env.to }, 'MAIL FROM'],
      [{ from: 'x@aukio.test\r\nRSET', to: env.to }, 'MAIL FROM'],
      [{ from: env.from, to: '' }, 'RCPT TO'],
    ] as const) {
      const e = await rejection(p.send(envelope, message(1)));
      expect(e).toBeInstanceOf(SmtpError);
      expect(e).toMatchObject({ command, responseCode: undefined, handedOver: false });
    }
    // Not even a connection was opened.
    expect(sink.stats.total).toBe(0);
    expect(sink.wire).toHaveLength(0);
    // The null reverse-path (bounces) is fine.
    await p.send({ from: '', to: env.to }, message(2));
    expect(sink.messages.map((m) => m.from)).toEqual(['']);
    expect(Buffer.concat(sink.wire[0]).toString('latin1')).toContain('MAIL FROM:<>\r\n');
  });

  it('close() QUITs idle connections, lets a message in progress finish, rejects queued and later sends', async () => {
    const sink = await startSink({ wire: true });
    const p = pool({ url: sink.url, connections: 2 });
    await Promise.all([p.send(env, message(1)), p.send(env, message(2))]);
    expect(sink.stats.open).toBe(2);
    await p.close();
    await until(() => sink.stats.open === 0, 'the server to see both connections closed');
    expect(sink.wire.map((reads) => Buffer.concat(reads).toString('latin1').endsWith('QUIT\r\n'))).toEqual([true, true]);
    const later = await rejection(p.send(env, message(3)));
    expect(later).toBeInstanceOf(Error);
    expect(later).not.toBeInstanceOf(SmtpError);
    expect((later as Error).message).toMatch(/closed/);

    const q = pool({ url: sink.url, connections: 1 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inProgress = q.send(env, message(4), () => gate);
    await until(() => sink.incoming.length === 3, 'the message in progress to reach DATA');
    const queued = q.send(env, message(5));
    const closing = q.close();
    const queuedError = await rejection(queued);
    expect((queuedError as Error).message).toMatch(/closed/);
    release();
    await inProgress;
    await closing;
    expect(sink.messages.map((m) => seqOf(m.raw)).sort()).toEqual([1, 2, 4]);
    await until(() => sink.stats.open === 0, 'the last connection closed');
    expect(Buffer.concat(sink.wire[2]).toString('latin1').endsWith('QUIT\r\n')).toBe(true);
  });
});
