import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A local Mastodon-compatible API server on 127.0.0.1 for tests: the parts of the API
 * Aukio's client uses (verify_credentials, v2 media upload with processing, media polling,
 * statuses with Idempotency-Key). It checks the bearer token, keeps everything it is
 * given, answers a media upload with 202 and the first poll without a URL so the client's
 * polling is exercised, and can fail the next N requests (500/503) to exercise retries.
 */

export interface RecordedMedia {
  id: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
  description: string;
  polls: number;
}

export interface RecordedStatus {
  id: string;
  url: string;
  status: string;
  mediaIds: string[];
  visibility: string;
  language: string;
  idempotencyKey: string | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
}

export interface MastodonTestServer {
  url: string;
  token: string;
  statuses: RecordedStatus[];
  media: RecordedMedia[];
  requests: RecordedRequest[];
  /** The next n requests (any path) answer 500 or 503, alternating. */
  failNext(n: number): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** multipart/form-data parts: name, optional filename and type, the bytes. */
function parseMultipart(body: Buffer, contentType: string): { name: string; filename?: string; type?: string; data: Buffer }[] {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) return [];
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts: { name: string; filename?: string; type?: string; data: Buffer }[] = [];
  let pos = body.indexOf(boundary);
  while (pos >= 0) {
    const start = pos + boundary.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd < 0) break;
    const headers = body.subarray(start + 2, headerEnd).toString('utf8');
    const next = body.indexOf(boundary, headerEnd);
    if (next < 0) break;
    const data = body.subarray(headerEnd + 4, next - 2); // without the CRLF before the boundary
    const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
    parts.push({ name, filename, type, data });
    pos = next;
  }
  return parts;
}

export async function startMastodonServer(): Promise<MastodonTestServer> {
  const token = randomBytes(16).toString('hex');
  const statuses: RecordedStatus[] = [];
  const media: RecordedMedia[] = [];
  const requests: RecordedRequest[] = [];
  const byKey = new Map<string, RecordedStatus>();
  let failures = 0;
  let failToggle = false;
  let seq = 100;
  let base = '';

  const send = (req: IncomingMessage, res: ServerResponse, status: number, body: unknown) => {
    requests.push({ method: req.method ?? 'GET', path: (req.url ?? '').split('?')[0], status });
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const mediaJson = (m: RecordedMedia, ready: boolean) => ({
    id: m.id,
    type: 'image',
    url: ready ? `${base}/system/media/${m.id}/${encodeURIComponent(m.filename)}` : null,
    preview_url: ready ? `${base}/system/media/${m.id}/small` : null,
    description: m.description,
  });

  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const path = (req.url ?? '').split('?')[0];
      if (failures > 0) {
        failures--;
        failToggle = !failToggle;
        return send(req, res, failToggle ? 500 : 503, { error: 'Service temporarily unavailable (test server)' });
      }
      if (req.headers.authorization !== `Bearer ${token}`) return send(req, res, 401, { error: 'The access token is invalid' });

      if (req.method === 'GET' && path === '/api/v1/accounts/verify_credentials') {
        return send(req, res, 200, { id: '1', username: 'aukio', acct: 'aukio', display_name: 'Aukio test', url: `${base}/@aukio` });
      }
      if (req.method === 'POST' && path === '/api/v2/media') {
        const parts = parseMultipart(body, String(req.headers['content-type'] ?? ''));
        const file = parts.find((p) => p.name === 'file');
        if (!file) return send(req, res, 422, { error: 'Validation failed: File is missing' });
        const m: RecordedMedia = {
          id: String(++seq),
          filename: file.filename ?? 'file',
          contentType: file.type ?? 'application/octet-stream',
          bytes: Buffer.from(file.data),
          description: parts.find((p) => p.name === 'description')?.data.toString('utf8') ?? '',
          polls: 0,
        };
        media.push(m);
        // Processing asynchronously, as a real instance does for larger files.
        return send(req, res, 202, mediaJson(m, false));
      }
      const mediaMatch = /^\/api\/v1\/media\/([^/]+)$/.exec(path);
      if (req.method === 'GET' && mediaMatch) {
        const m = media.find((x) => x.id === mediaMatch[1]);
        if (!m) return send(req, res, 404, { error: 'Record not found' });
        m.polls++;
        // The first poll still finds it processing (206, url null); then it is ready.
        return m.polls < 2 ? send(req, res, 206, mediaJson(m, false)) : send(req, res, 200, mediaJson(m, true));
      }
      if (req.method === 'POST' && path === '/api/v1/statuses') {
        const type = String(req.headers['content-type'] ?? '');
        let fields: { status?: string; media_ids?: string[]; visibility?: string; language?: string };
        if (type.startsWith('application/json')) {
          fields = JSON.parse(body.toString('utf8'));
        } else {
          const p = new URLSearchParams(body.toString('utf8'));
          fields = { status: p.get('status') ?? undefined, media_ids: p.getAll('media_ids[]'), visibility: p.get('visibility') ?? undefined, language: p.get('language') ?? undefined };
        }
        const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
        if (key && byKey.has(key)) return send(req, res, 200, statusJson(byKey.get(key)!));
        const mediaIds = fields.media_ids ?? [];
        if (!fields.status && mediaIds.length === 0) return send(req, res, 422, { error: "Validation failed: Text can't be blank" });
        for (const id of mediaIds) {
          const m = media.find((x) => x.id === id);
          if (!m) return send(req, res, 422, { error: 'Validation failed: media not found' });
        }
        const id = String(++seq);
        const s: RecordedStatus = {
          id,
          url: `${base}/@aukio/${id}`,
          status: fields.status ?? '',
          mediaIds,
          visibility: fields.visibility ?? 'public',
          language: fields.language ?? '',
          idempotencyKey: key,
        };
        statuses.push(s);
        if (key) byKey.set(key, s);
        return send(req, res, 200, statusJson(s));
      }
      return send(req, res, 404, { error: 'Record not found' });
    } catch (e) {
      return send(req, res, 500, { error: e instanceof Error ? e.message : String(e) });
    }
  });

  const statusJson = (s: RecordedStatus) => ({
    id: s.id,
    uri: `${base}/users/aukio/statuses/${s.id}`,
    url: s.url,
    content: `<p>${s.status}</p>`,
    visibility: s.visibility,
    language: s.language,
    media_attachments: s.mediaIds.map((id) => {
      const m = media.find((x) => x.id === id)!;
      return mediaJson(m, true);
    }),
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: base,
    token,
    statuses,
    media,
    requests,
    failNext(n: number) {
      failures += n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
