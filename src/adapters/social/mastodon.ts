/**
 * A small Mastodon API client (fetch): verify a token, upload an image with its alt text,
 * post a status. Only what distribution needs; see https://docs.joinmastodon.org/methods/.
 * Errors carry the HTTP status so the caller can tell a retryable failure from a refusal.
 */

export class MastodonError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when the instance did not answer. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'MastodonError';
  }
}

export interface MastodonAccount {
  id: string;
  username: string;
  acct: string;
  url: string | null;
}

export interface MastodonStatus {
  id: string;
  url: string | null;
  uri: string | null;
}

export interface MastodonClientOptions {
  /** The instance's base URL, e.g. https://mastodon.example. */
  url: string;
  token: string;
  /** Per request. */
  timeoutMs?: number;
  /** How long to wait for media processing (202 → url set). */
  mediaWaitMs?: number;
  pollIntervalMs?: number;
}

export class MastodonClient {
  private base: string;

  constructor(private opts: MastodonClientOptions) {
    this.base = opts.url.replace(/\/+$/, '');
  }

  private async call(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): Promise<{ status: number; json: any }> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: { authorization: `Bearer ${this.opts.token}`, accept: 'application/json', ...(init.headers ?? {}) },
        body: init.body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
      });
    } catch (e) {
      throw new MastodonError(`${method} ${path}: ${e instanceof Error ? e.message : String(e)}`, 0);
    }
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (res.status < 200 || res.status > 299) {
      const detail = typeof json?.error === 'string' ? json.error : text.slice(0, 200);
      throw new MastodonError(`${method} ${path}: HTTP ${res.status}${detail ? ` ${detail}` : ''}`, res.status);
    }
    return { status: res.status, json };
  }

  /** GET /api/v1/accounts/verify_credentials: the token works and whose account it is. */
  async verifyCredentials(): Promise<MastodonAccount> {
    const { json } = await this.call('GET', '/api/v1/accounts/verify_credentials');
    if (!json || typeof json.id !== 'string') throw new MastodonError('verify_credentials: unexpected answer', 502);
    return { id: json.id, username: String(json.username ?? ''), acct: String(json.acct ?? ''), url: typeof json.url === 'string' ? json.url : null };
  }

  /**
   * POST /api/v2/media with the file and its description (alt text). A 202 means the
   * instance still processes it: GET /api/v1/media/:id is polled until `url` is set, since a
   * status cannot attach unprocessed media.
   */
  async uploadMedia(file: { bytes: Uint8Array; filename: string; contentType: string }, description: string): Promise<{ id: string; url: string }> {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(file.bytes)], { type: file.contentType }), file.filename);
    if (description) form.append('description', description.slice(0, 1500));
    const { json } = await this.call('POST', '/api/v2/media', { body: form });
    if (!json || typeof json.id !== 'string') throw new MastodonError('media: unexpected answer', 502);
    if (typeof json.url === 'string' && json.url) return { id: json.id, url: json.url };
    const deadline = Date.now() + (this.opts.mediaWaitMs ?? 30_000);
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, this.opts.pollIntervalMs ?? 500));
      const polled = await this.call('GET', `/api/v1/media/${encodeURIComponent(json.id)}`);
      if (typeof polled.json?.url === 'string' && polled.json.url) return { id: json.id, url: polled.json.url };
    }
    throw new MastodonError('media: still processing after the wait', 504);
  }

  /**
   * POST /api/v1/statuses. The Idempotency-Key makes a retried post return the status the
   * first attempt created instead of posting twice.
   */
  async postStatus(
    s: { status: string; mediaIds: string[]; visibility: string; language: string },
    idempotencyKey: string,
  ): Promise<MastodonStatus> {
    const body = new URLSearchParams();
    body.set('status', s.status);
    for (const id of s.mediaIds) body.append('media_ids[]', id);
    body.set('visibility', s.visibility);
    body.set('language', s.language);
    const { json } = await this.call('POST', '/api/v1/statuses', {
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': idempotencyKey },
    });
    if (!json || typeof json.id !== 'string') throw new MastodonError('status: unexpected answer', 502);
    return { id: json.id, url: typeof json.url === 'string' ? json.url : null, uri: typeof json.uri === 'string' ? json.uri : null };
  }
}

/**
 * The status text: title, lead and permalink within Mastodon's default 500 characters.
 * Mastodon counts every URL as 23 characters; the lead is shortened (with an ellipsis)
 * before the title is.
 */
export function composeStatus(title: string, lead: string, permalink: string, limit = 500): string {
  const URL_WEIGHT = 23;
  const room = limit - URL_WEIGHT - 2; // two line breaks before the link
  const clip = (text: string, max: number) => (max <= 0 ? '' : text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`);
  const t = clip(title.trim(), room);
  const leadRoom = room - t.length - 2;
  const l = lead.trim() && leadRoom > 10 ? clip(lead.trim(), leadRoom) : '';
  return [t, l].filter(Boolean).join('\n\n') + `\n\n${permalink}`;
}
