import { connect as netConnect, isIP, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { connect as tlsConnect } from 'node:tls';

/*
 * A small SMTP client pool for bulk sending (newsletters), written for one thing nodemailer
 * cannot do: run a hook in the instant between the last byte of the message body and the
 * final "." that ends it.
 *
 * Why the hook sits right before the dot: a server takes responsibility for a message when
 * it reads the final ".\r\n"; a connection that closes before that makes it discard what it
 * got (RFC 5321 §4.1.1.4). The newsletter sender records the hand-over in PostgreSQL in the
 * hook, and the pool writes the dot in the same continuation, every other byte of the message
 * already handed to the kernel. What the kernel has still goes out after a kill -9 (the
 * server sends nothing during DATA, so the close is an orderly FIN after the data, not a
 * reset), so after a crash the ledger tells which messages the server has complete: the
 * record and the dot can only disagree if the process dies in the one synchronous step
 * between them. The message bytes are composed elsewhere (composeBulk in mime.ts); this
 * file only speaks SMTP.
 */

export interface SmtpPoolOptions {
  /** smtp://[user:pass@]host[:port] (default port 25; STARTTLS when the server offers it) or smtps://… (implicit TLS, default port 465). Query: `tls.rejectUnauthorized=false` accepts a self-signed certificate (same spelling nodemailer uses for SMTP_URL); `ignoreTLS=true` never upgrades. */
  url: string;
  /** Most connections open at once (each carries one message at a time). */
  connections: number;
  /** EHLO name; default os.hostname(). */
  name?: string;
  /** No reply (or no progress writing) for this long fails the command and closes the connection; default 60_000. */
  timeoutMs?: number;
}

export interface SmtpEnvelope {
  from: string;
  to: string;
}

export class SmtpError extends Error {
  /** The command that failed: 'CONN' | 'GREETING' | 'EHLO' | 'HELO' | 'STARTTLS' | 'AUTH PLAIN' | 'AUTH LOGIN' | 'MAIL FROM' | 'RCPT TO' | 'DATA' | 'MESSAGE' (writing the body) | 'END' (the reply to the final dot) */
  command: string;
  /** The server's reply code when it answered (e.g. 550), else undefined (timeout, connection lost, TLS failure). */
  responseCode?: number;
  /** The server's full reply text (multi-line joined by '\n'), when there was one. */
  response?: string;
  /** True once the final dot was written: the server has the whole message, whatever happens next. */
  handedOver: boolean;

  constructor(command: string, message: string, details: { responseCode?: number; response?: string; handedOver?: boolean } = {}) {
    super(message);
    this.name = 'SmtpError';
    this.command = command;
    this.responseCode = details.responseCode;
    this.response = details.response;
    this.handedOver = details.handedOver ?? false;
  }
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** How long close() lets a connection that is carrying a message finish before destroying it. */
const CLOSE_GRACE_MS = 5_000;
/** The body is written in pieces so that the timeout measures progress, not the whole transfer. */
const BODY_CHUNK = 64 * 1024;
/** A reply bigger than this is not an SMTP server talking; stop buffering it. */
const MAX_REPLY_CHARS = 64 * 1024;
/** Pipelining has at most three replies outstanding; more unread ones mean a confused server. */
const MAX_QUEUED_REPLIES = 8;

interface Reply {
  code: number;
  /** The reply's lines as sent, codes included, joined by '\n' (e.g. "550 5.1.1 No such user"). */
  text: string;
}

/** Where a wait belongs: the command reported if it fails, and whether the dot was already out. */
interface Step {
  command: string;
  handedOver: boolean;
}

interface Target {
  host: string;
  port: number;
  implicitTls: boolean;
  rejectUnauthorized: boolean;
  ignoreTLS: boolean;
  /** undefined: no AUTH. */
  user?: string;
  pass: string;
}

export class SmtpPool {
  readonly #target: Target;
  readonly #max: number;
  readonly #name: string;
  readonly #timeoutMs: number;
  /** Every connection that is open or being opened; its size never exceeds #max. */
  readonly #all = new Set<Connection>();
  /** Open connections waiting for a message. */
  readonly #idle: Connection[] = [];
  /** Sends waiting for a connection, first come first served. */
  readonly #queue: { resolve: (c: Connection | Promise<Connection>) => void; reject: (e: Error) => void }[] = [];
  #closed = false;

  constructor(opts: SmtpPoolOptions) {
    this.#target = parseUrl(opts.url);
    if (!Number.isInteger(opts.connections) || opts.connections < 1) throw new Error('SmtpPool: connections must be a positive integer');
    this.#max = opts.connections;
    this.#name = opts.name ?? hostname();
    if (!/^[\x21-\x7e]+$/.test(this.#name)) throw new Error('SmtpPool: the EHLO name must be printable ASCII without spaces');
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(this.#timeoutMs > 0)) throw new Error('SmtpPool: timeoutMs must be positive');
  }

  /**
   * Sends one message. `raw` is the complete RFC 5322 message (headers + body); the pool normalises bare LF to CRLF, dot-stuffs lines that start with '.', and makes sure it ends with CRLF.
   * handOver (optional) runs once the whole body has been written to the socket AND the socket has no bytes left in user space (`socket.writableLength === 0`; the pool waits for the callback of the last write, see #writeFlushed) and BEFORE the final ".\r\n". The pool awaits its promise, then writes ".\r\n" immediately in the same continuation (no other awaits/timers in between). If handOver rejects, the final dot is NOT written: the connection is destroyed (so the server discards the partial message; never send RSET here), and send() rejects with handOver's own error (not wrapped).
   * handOver may resolve to a function (the `HandOver` of email.ts): the pool calls it synchronously right before writing the dot, and only if the connection is still alive then (else send() rejects with an SmtpError 'MESSAGE', handedOver false, and the function is never called). If it throws, the same as a rejected handOver.
   * Resolves with { response } = the server's reply to the final dot (2xx). Rejects with SmtpError otherwise.
   * NB: an SmtpError with handedOver false can come after handOver resolved (the server hung up while it ran); a caller that recorded the hand-over inside handOver itself must undo that.
   */
  async send(envelope: SmtpEnvelope, raw: Buffer, handOver?: () => Promise<(() => void) | void>): Promise<{ response: string }> {
    // Checked before a connection is even taken: an address is put between <> on a command
    // line, so CR/LF or a '>' in it would let a recipient list inject SMTP commands.
    checkAddress(envelope.from, 'MAIL FROM', true);
    checkAddress(envelope.to, 'RCPT TO', false);
    if (this.#closed) throw new Error('SMTP pool is closed');
    const data = toSmtpData(raw);
    const conn = await this.#acquire();
    try {
      return await conn.transact(envelope, data, handOver);
    } finally {
      this.#release(conn);
    }
  }

  /** QUITs idle connections, destroys the rest after a short grace; later sends reject. */
  async close(): Promise<void> {
    if (this.#closed) return void (await Promise.all([...this.#all].map((c) => c.gone)));
    this.#closed = true;
    for (const waiter of this.#queue.splice(0)) waiter.reject(new Error('SMTP pool is closed'));
    for (const conn of this.#idle.splice(0)) void conn.quit();
    // A connection in the middle of a message gets a moment to finish it (#release QUITs it then).
    const grace = setTimeout(() => {
      for (const conn of this.#all) conn.destroy('SMTP pool closed');
    }, Math.min(this.#timeoutMs, CLOSE_GRACE_MS));
    await Promise.all([...this.#all].map((c) => c.gone));
    clearTimeout(grace);
  }

  #acquire(): Promise<Connection> {
    for (let conn = this.#idle.pop(); conn; conn = this.#idle.pop()) {
      if (conn.usable) {
        conn.busy = true;
        return Promise.resolve(conn);
      }
      conn.destroy('unusable');
    }
    if (this.#all.size < this.#max) return this.#open();
    return new Promise((resolve, reject) => this.#queue.push({ resolve, reject }));
  }

  #open(): Promise<Connection> {
    const conn = new Connection(this.#target, this.#name, this.#timeoutMs, (c) => this.#forget(c));
    this.#all.add(conn);
    return conn.open().then(
      () => conn,
      (e: unknown) => {
        conn.destroy('handshake failed');
        throw e;
      },
    );
  }

  #release(conn: Connection) {
    if (!conn.usable) {
      // Whatever went wrong (timeout, lost connection, a refused hook, a 421) leaves the
      // connection in an unknown state; a fresh one replaces it (#forget) for the next send.
      conn.destroy('unusable');
      return;
    }
    if (this.#closed) {
      void conn.quit();
      return;
    }
    const next = this.#queue.shift();
    if (next) return next.resolve(conn);
    conn.busy = false;
    this.#idle.push(conn);
  }

  /** A connection is gone: free its slot and give it to the longest-waiting send. */
  #forget(conn: Connection) {
    this.#all.delete(conn);
    const i = this.#idle.indexOf(conn);
    if (i >= 0) this.#idle.splice(i, 1);
    if (!this.#closed && this.#queue.length > 0 && this.#all.size < this.#max) this.#queue.shift()!.resolve(this.#open());
  }
}

/** One SMTP connection: the handshake, one message at a time, and its own reply parser. */
class Connection {
  readonly #target: Target;
  readonly #name: string;
  readonly #timeoutMs: number;
  readonly #onGone: (c: Connection) => void;
  /** The socket commands go over: the TCP socket, or the TLS socket over it after STARTTLS. */
  #socket: Socket;
  /** The socket first opened (TCP, or TLS for smtps://), destroyed along with #socket. */
  readonly #first: Socket;
  #secure: boolean;
  /** Extensions from the last EHLO reply, keyword (upper case) → parameters. */
  #features = new Map<string, string>();
  #decoder = new StringDecoder('utf8');
  /** Text of a line not ended yet. */
  #partial = '';
  /** Lines of a multi-line reply not ended yet. */
  #lines: string[] = [];
  #linesChars = 0;
  /** Complete replies nobody asked for yet (the 2nd and 3rd of a pipelined batch). */
  #replies: Reply[] = [];
  #replyWaiter: ((r: Reply) => void) | undefined;
  /** Waits to fail when the connection dies. */
  #deathWatchers = new Set<() => void>();
  /** Set once the connection is dead: why. */
  #deadReason: string | undefined;
  /** The server said 421 (it is shutting the connection): finish the current step, then drop it. */
  #tainted = false;
  #resolveGone!: () => void;
  /** Resolves once the connection is closed for good. */
  readonly gone = new Promise<void>((resolve) => (this.#resolveGone = resolve));
  /** Carrying a message or a handshake; a reply that arrives while not busy is unexpected. */
  busy = true;

  readonly #listeners = {
    data: (chunk: Buffer) => this.#onData(chunk),
    error: (e: Error) => this.#die(e.message),
    end: () => this.#die('the server closed the connection'),
    close: () => this.#die('connection closed'),
  };

  constructor(target: Target, name: string, timeoutMs: number, onGone: (c: Connection) => void) {
    this.#target = target;
    this.#name = name;
    this.#timeoutMs = timeoutMs;
    this.#onGone = onGone;
    this.#secure = target.implicitTls;
    this.#socket = target.implicitTls
      ? tlsConnect({ host: target.host, port: target.port, servername: serverName(target.host), rejectUnauthorized: target.rejectUnauthorized })
      : netConnect({ host: target.host, port: target.port });
    this.#first = this.#socket;
    // The dot is a write of its own, right after the body: with Nagle's algorithm the kernel
    // would hold it back until the body's last segment is acknowledged (up to a delayed-ACK
    // timeout, 40 ms on Linux) for every single message.
    this.#socket.setNoDelay(true);
    this.#attach(this.#socket);
  }

  get usable() {
    return this.#deadReason === undefined && !this.#tainted;
  }

  /** Connect, greeting, EHLO, STARTTLS, AUTH. Rejects with SmtpError; the caller destroys. */
  async open(): Promise<void> {
    const socket = this.#socket;
    const connected = this.#secure ? 'secureConnect' : 'connect';
    await this.#bounded<void>({ command: 'CONN', handedOver: false }, (done) => {
      const ok = () => done();
      socket.once(connected, ok);
      return () => socket.off(connected, ok);
    });
    const greeting = await this.#reply(step('GREETING'));
    if (!is2xx(greeting)) throw refused('GREETING', greeting);
    await this.#hello();
    if (!this.#secure && !this.#target.ignoreTLS && this.#features.has('STARTTLS')) {
      const r = await this.#command('STARTTLS', step('STARTTLS'));
      if (r.code !== 220) throw refused('STARTTLS', r);
      await this.#upgrade();
      // RFC 3207 §4.2: everything learned before TLS is forgotten; ask again over TLS.
      await this.#hello();
    }
    if (this.#target.user !== undefined) await this.#auth(this.#target.user, this.#target.pass);
    // Leave busy as it is: the pool hands the connection straight to the send that opened it.
  }

  /** One message: envelope, body, hook, final dot. The connection stays usable unless something broke. */
  async transact(envelope: SmtpEnvelope, data: Buffer, handOver: (() => Promise<(() => void) | void>) | undefined): Promise<{ response: string }> {
    const mailStep = step('MAIL FROM');
    const rcptStep = step('RCPT TO');
    const dataStep = step('DATA');
    const mailLine = `MAIL FROM:<${envelope.from}>`;
    const rcptLine = `RCPT TO:<${envelope.to}>`;
    let mail: Reply;
    let rcpt: Reply | undefined;
    let go: Reply | undefined;
    if (this.#features.has('PIPELINING')) {
      // RFC 2920: the three commands in one write, then their replies in order. Saves two
      // round trips per message, most of the per-message time on a kept-open connection.
      this.#write(`${mailLine}\r\n${rcptLine}\r\nDATA\r\n`, mailStep);
      mail = await this.#reply(mailStep);
      try {
        rcpt = await this.#reply(rcptStep);
        go = await this.#reply(dataStep);
      } catch (e) {
        // The connection is gone (e.g. "421" and a hang-up): the first refusal says more.
        if (!is2xx(mail)) throw refused('MAIL FROM', mail);
        if (rcpt && !is2xx(rcpt)) throw refused('RCPT TO', rcpt);
        throw e;
      }
    } else {
      mail = await this.#command(mailLine, mailStep);
      if (is2xx(mail)) rcpt = await this.#command(rcptLine, rcptStep);
      if (rcpt && is2xx(rcpt)) go = await this.#command('DATA', dataStep);
    }
    // Report the first refusal: after a refused RCPT the DATA reply is only "503 no valid
    // recipients", which says nothing about why.
    let error: SmtpError | undefined;
    if (!is2xx(mail)) error = refused('MAIL FROM', mail);
    else if (rcpt && !is2xx(rcpt)) error = refused('RCPT TO', rcpt);
    else if (go && go.code !== 354) error = refused('DATA', go);
    if (error) {
      if (go?.code === 354) {
        // The server opened a message although it refused its sender or recipient. The only
        // way out of DATA is the final dot, which could deliver an empty message: close
        // instead, the server then discards it.
        this.destroy('DATA accepted after a refused envelope');
      } else {
        await this.#reset();
      }
      throw error;
    }

    // Nothing of the body may still sit in this process when the hook runs: what the hook
    // records as handed over must be, apart from the dot, already in the kernel's hands (a
    // kill -9 does not lose what the kernel has). So the last piece is written with a wait
    // for its callback, which Node runs once it and every write before it left user space
    // (socket.writableLength is 0 then).
    const bodyStep = step('MESSAGE');
    for (let i = 0; i < data.length; i += BODY_CHUNK) {
      const chunk = data.subarray(i, i + BODY_CHUNK);
      if (i + BODY_CHUNK >= data.length) await this.#writeFlushed(chunk, bodyStep);
      else if (!this.#write(chunk, bodyStep)) await this.#drained(bodyStep);
    }
    let atDot: (() => void) | void = undefined;
    if (handOver) {
      // A connection already known to be lost must not be recorded as handed over.
      this.#assertAlive(bodyStep);
      try {
        atDot = await handOver();
      } catch (e) {
        // Without the dot the server discards what it got, but only if the connection
        // closes: RSET would have to follow a dot, which would deliver the message.
        this.destroy('the hand-over hook failed');
        throw e;
      }
    }
    // From here to the write of the dot there is no await: the hook's record and the dot go
    // together. If the server hung up while the hook ran, the dot cannot go out: handedOver
    // stays false (and the hook's function is not called); a caller that already recorded
    // the hand-over in the hook itself must undo it.
    this.#assertAlive(bodyStep);
    if (atDot) {
      try {
        atDot();
      } catch (e) {
        this.destroy('the hand-over hook failed');
        throw e;
      }
    }
    const endStep: Step = { command: 'END', handedOver: true };
    this.#write('.\r\n', endStep);
    const end = await this.#reply(endStep);
    if (!is2xx(end)) throw refused('END', end, true);
    return { response: end.text };
  }

  /** QUIT, wait (bounded) for the goodbye, close. Never rejects. */
  async quit(): Promise<void> {
    this.busy = true;
    try {
      await this.#command('QUIT', step('QUIT'));
    } catch {
      // Closing anyway.
    } finally {
      this.destroy('QUIT');
    }
  }

  destroy(reason: string) {
    this.#die(reason);
  }

  #die(reason: string) {
    if (this.#deadReason !== undefined) return;
    this.#deadReason = reason;
    this.#socket.destroy();
    this.#first.destroy();
    for (const watcher of [...this.#deathWatchers]) watcher();
    this.#resolveGone();
    this.#onGone(this);
  }

  #attach(socket: Socket) {
    socket.on('data', this.#listeners.data);
    socket.on('error', this.#listeners.error);
    socket.on('end', this.#listeners.end);
    socket.on('close', this.#listeners.close);
  }

  #detach(socket: Socket) {
    socket.off('data', this.#listeners.data);
    socket.off('error', this.#listeners.error);
    socket.off('end', this.#listeners.end);
    socket.off('close', this.#listeners.close);
  }

  async #hello() {
    const ehlo = await this.#command(`EHLO ${this.#name}`, step('EHLO'));
    this.#features.clear();
    if (is2xx(ehlo)) {
      for (const line of ehlo.text.split('\n').slice(1)) {
        // "250-AUTH PLAIN LOGIN", also the old "250-AUTH=PLAIN LOGIN".
        const [keyword, ...params] = line.slice(4).trim().split(/[ =]/);
        if (keyword) this.#features.set(keyword.toUpperCase(), params.join(' '));
      }
      return;
    }
    // RFC 5321 §4.1.4: a server that does not know EHLO answers 5xx; then plain HELO, no extensions.
    if (ehlo.code < 500) throw refused('EHLO', ehlo);
    const helo = await this.#command(`HELO ${this.#name}`, step('HELO'));
    if (!is2xx(helo)) throw refused('HELO', helo);
  }

  async #upgrade() {
    // Anything that came after the 220 arrived in plain text; taking it as if it came over
    // TLS is the classic STARTTLS injection (CVE-2011-0411 and kin).
    if (this.#partial || this.#lines.length || this.#replies.length) throw new SmtpError('STARTTLS', 'STARTTLS: the server sent data after its 220 reply');
    const plain = this.#socket;
    this.#detach(plain);
    // Errors of the TCP socket resurface on the TLS socket; this only keeps them from being unhandled.
    plain.on('error', () => {});
    const secure = tlsConnect({
      socket: plain,
      host: this.#target.host,
      servername: serverName(this.#target.host),
      rejectUnauthorized: this.#target.rejectUnauthorized,
    });
    this.#socket = secure;
    this.#decoder = new StringDecoder('utf8');
    this.#attach(secure);
    await this.#bounded<void>(step('STARTTLS'), (done) => {
      const ok = () => done();
      secure.once('secureConnect', ok);
      return () => secure.off('secureConnect', ok);
    });
    this.#secure = true;
  }

  async #auth(user: string, pass: string) {
    const methods = (this.#features.get('AUTH') ?? '').toUpperCase().split(/\s+/);
    if (methods.includes('LOGIN') && !methods.includes('PLAIN')) {
      const s = step('AUTH LOGIN');
      const b64 = (v: string) => Buffer.from(v, 'utf8').toString('base64');
      let r = await this.#command('AUTH LOGIN', s);
      if (r.code !== 334) throw refused('AUTH LOGIN', r);
      r = await this.#command(b64(user), s);
      if (r.code !== 334) throw refused('AUTH LOGIN', r);
      r = await this.#command(b64(pass), s);
      if (r.code !== 235) throw refused('AUTH LOGIN', r);
      return;
    }
    // PLAIN also when the server advertised no AUTH at all: its reply then decides.
    const token = Buffer.from(`\0${user}\0${pass}`, 'utf8').toString('base64');
    const r = await this.#command(`AUTH PLAIN ${token}`, step('AUTH PLAIN'));
    if (r.code !== 235) throw refused('AUTH PLAIN', r);
  }

  /** RSET after a refused envelope keeps the connection for the next message; if even that fails, drop it. */
  async #reset() {
    if (!this.usable) return this.destroy('unusable');
    try {
      const r = await this.#command('RSET', step('RSET'));
      if (!is2xx(r)) this.destroy('RSET refused');
    } catch {
      // The wait already destroyed the connection; the caller reports the original refusal.
    }
  }

  #command(line: string, s: Step): Promise<Reply> {
    this.#write(`${line}\r\n`, s);
    return this.#reply(s);
  }

  /** Writes; false when the socket wants a 'drain' before more. Throws if the connection is gone. */
  #write(data: string | Buffer, s: Step): boolean {
    this.#assertAlive(s);
    return this.#socket.write(data);
  }

  #assertAlive(s: Step) {
    if (this.#deadReason !== undefined) throw this.#lost(s);
  }

  /**
   * Writes and waits until Node has handed this (and so every earlier) write to the kernel.
   * Not "writableLength === 0, else wait for 'drain'": Node emits 'drain' only after a write()
   * that returned false, and a TLS socket keeps writableLength above 0 after a write() that
   * returned true until the encrypted bytes are out, so that wait could hang.
   */
  #writeFlushed(data: Buffer, s: Step): Promise<void> {
    this.#assertAlive(s);
    return this.#bounded<void>(s, (done) => {
      this.#socket.write(data, (e) => {
        if (!e) done();
      });
      return () => {};
    });
  }

  #drained(s: Step): Promise<void> {
    const socket = this.#socket;
    return this.#bounded<void>(s, (done) => {
      const ok = () => done();
      socket.once('drain', ok);
      return () => socket.off('drain', ok);
    });
  }

  #reply(s: Step): Promise<Reply> {
    // A reply that already arrived counts even if the server closed right after it (e.g. a 550 then a hang-up).
    const queued = this.#replies.shift();
    if (queued) return Promise.resolve(queued);
    return this.#bounded<Reply>(s, (done) => {
      this.#replyWaiter = done;
      return () => {
        if (this.#replyWaiter === done) this.#replyWaiter = undefined;
      };
    });
  }

  /**
   * Waits for what `arm` sets up (it calls `done`, and returns how to undo its set-up), failing
   * with an SmtpError for `s` when the connection dies or after timeoutMs. A timeout destroys the
   * connection: the late answer could otherwise be taken for the answer to the next command.
   */
  #bounded<T>(s: Step, arm: (done: (value: T) => void) => () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#deadReason !== undefined) return reject(this.#lost(s));
      let settled = false;
      let disarm: (() => void) | undefined;
      const finish = () => {
        settled = true;
        clearTimeout(timer);
        this.#deathWatchers.delete(onDeath);
        disarm?.();
      };
      const onDeath = () => {
        if (settled) return;
        finish();
        reject(this.#lost(s));
      };
      const timer = setTimeout(() => {
        if (settled) return;
        finish();
        this.destroy(`no answer within ${this.#timeoutMs} ms`);
        reject(new SmtpError(s.command, `${s.command}: no answer within ${this.#timeoutMs} ms`, { handedOver: s.handedOver }));
      }, this.#timeoutMs);
      this.#deathWatchers.add(onDeath);
      const undo = arm((value) => {
        if (settled) return;
        finish();
        resolve(value);
      });
      if (settled) undo();
      else disarm = undo;
    });
  }

  #lost(s: Step) {
    return new SmtpError(s.command, `${s.command}: ${this.#deadReason ?? 'connection lost'}`, { handedOver: s.handedOver });
  }

  #onData(chunk: Buffer) {
    if (this.#deadReason !== undefined) return;
    this.#partial += this.#decoder.write(chunk);
    for (let nl = this.#partial.indexOf('\n'); nl >= 0; nl = this.#partial.indexOf('\n')) {
      const line = this.#partial.slice(0, nl).replace(/\r$/, '');
      this.#partial = this.#partial.slice(nl + 1);
      this.#onLine(line);
      if (this.#deadReason !== undefined) return;
    }
    if (this.#partial.length > MAX_REPLY_CHARS) this.destroy('reply line too long');
  }

  #onLine(line: string) {
    const m = /^(\d{3})(?:([ -])(.*))?$/.exec(line);
    if (!m) return this.destroy(`not an SMTP reply: ${JSON.stringify(line.slice(0, 100))}`);
    this.#lines.push(line);
    this.#linesChars += line.length;
    if (this.#linesChars > MAX_REPLY_CHARS) return this.destroy('reply too long');
    if (m[2] === '-') return;
    const reply: Reply = { code: Number(m[1]), text: this.#lines.join('\n') };
    this.#lines = [];
    this.#linesChars = 0;
    // RFC 5321 §3.8: 421 means the server is closing the connection.
    if (reply.code === 421) this.#tainted = true;
    const waiter = this.#replyWaiter;
    if (waiter) {
      this.#replyWaiter = undefined;
      waiter(reply);
    } else if (!this.busy) {
      // Typically "421 idle timeout" on a pooled connection: do not hand it to the next message.
      this.destroy(`unexpected reply while idle: ${reply.text.slice(0, 100)}`);
    } else if (this.#replies.push(reply) > MAX_QUEUED_REPLIES) {
      this.destroy('too many unrequested replies');
    }
  }
}

function step(command: string): Step {
  return { command, handedOver: false };
}

function is2xx(r: Reply) {
  return r.code >= 200 && r.code < 300;
}

function refused(command: string, r: Reply, handedOver = false) {
  return new SmtpError(command, `${command} refused: ${r.text}`, { responseCode: r.code, response: r.text, handedOver });
}

/** SNI takes host names only (RFC 6066 §3); for an IP address Node would warn. */
function serverName(host: string) {
  return isIP(host) ? undefined : host;
}

function checkAddress(address: string, command: 'MAIL FROM' | 'RCPT TO', mayBeEmpty: boolean) {
  // Control characters (CR, LF, NUL …) and angle brackets could end the path and the command
  // line early. An empty MAIL FROM is the null reverse-path <> (bounces); an empty RCPT is not.
  if (typeof address !== 'string' || /[\x00-\x1f\x7f<>]/.test(address) || (!mayBeEmpty && address === '')) {
    throw new SmtpError(command, `${command}: refusing an address that is empty or contains control characters or angle brackets`);
  }
}

function parseUrl(url: string): Target {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not echoing the URL: it may carry a password.
    throw new Error('SmtpPool: url is not a valid URL');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`SmtpPool: url must start with smtp:// or smtps:// (got ${u.protocol})`);
  const implicitTls = u.protocol === 'smtps:';
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new Error('SmtpPool: url has no host');
  const port = u.port ? Number(u.port) : implicitTls ? 465 : 25;
  let user: string | undefined;
  let pass = '';
  try {
    user = u.username ? decodeURIComponent(u.username) : undefined;
    pass = decodeURIComponent(u.password);
  } catch {
    throw new Error('SmtpPool: url has a badly percent-encoded user or password');
  }
  return {
    host,
    port,
    implicitTls,
    rejectUnauthorized: u.searchParams.get('tls.rejectUnauthorized') !== 'false',
    ignoreTLS: u.searchParams.get('ignoreTLS') === 'true',
    user,
    pass,
  };
}

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const CRLF = Buffer.from('\r\n');
const STUFFED_DOT = Buffer.from('.');

/**
 * The message as it goes on the wire after DATA (without the final dot): every line ending
 * CRLF, a bare LF (and a bare CR, which RFC 5321 §2.3.8 forbids as well and some servers take
 * for a line end, the "SMTP smuggling" trick) made CRLF, a leading '.' doubled (§4.5.2), and
 * a CRLF at the end.
 */
function toSmtpData(raw: Buffer): Buffer {
  // Copies runs of bytes that need no change as they are, so a well-formed CRLF message
  // (what MailComposer builds) is a single run.
  const parts: Buffer[] = [];
  let runStart = 0;
  let lineStart = true;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    if (b === CR && raw[i + 1] === LF) {
      i++;
      lineStart = true;
    } else if (b === CR || b === LF) {
      parts.push(raw.subarray(runStart, i), CRLF);
      runStart = i + 1;
      lineStart = true;
    } else {
      if (lineStart && b === DOT) {
        // One more dot before this one, which starts the next run.
        parts.push(raw.subarray(runStart, i), STUFFED_DOT);
        runStart = i;
      }
      lineStart = false;
    }
  }
  parts.push(raw.subarray(runStart));
  if (!lineStart) parts.push(CRLF);
  return Buffer.concat(parts);
}
