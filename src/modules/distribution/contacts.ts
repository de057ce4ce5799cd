import { z } from 'zod';
import type { AuditService } from '../audit/audit.ts';
import type { Actor } from '../identity/actor.ts';
import { requireNewsEditor } from '../newsroom/items.ts';
import type { TenancyService } from '../tenancy/tenants.ts';
import type { Mailer } from '../../server/services.ts';
import { randomToken, sha256 } from '../../platform/crypto.ts';
import type { Db, Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { LANGUAGES, pick, type Lang } from '../../platform/i18n.ts';
import { isUuid, parse } from '../../platform/validation.ts';
import { mailText } from './mail-texts.ts';

/**
 * The media distribution list: journalists and outlets who receive press releases by
 * e-mail, by topic. Staff (communications, publishers) keep the list; journalists can
 * subscribe themselves with a double opt-in. Contacts on the embargo list are trusted with
 * releases before their embargo lapses. Every staff read of the list is audited (names and
 * addresses are personal data).
 */

export interface MediaContact {
  id: string;
  name: string;
  email: string;
  outlet: string;
  topics: string[];
  embargoList: boolean;
  language: Lang;
  confirmed: boolean;
  source: 'staff' | 'self';
  confirmedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

type Row = Record<string, any>;

const COLUMNS = `id, name, email, outlet, topics, embargo_list, language, confirmed, source, confirmed_at, created_at, updated_at`;

function fromRow(r: Row): MediaContact {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    outlet: r.outlet ?? '',
    topics: r.topics ?? [],
    embargoList: r.embargo_list,
    language: r.language,
    confirmed: r.confirmed,
    source: r.source,
    confirmedAt: r.confirmed_at ? new Date(r.confirmed_at).toISOString() : null,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

const email = z
  .string({ message: 'invalid_type' })
  .trim()
  .toLowerCase()
  .max(254, { message: 'too_long' })
  .pipe(z.email({ message: 'invalid_email' }));
const topicSlugs = z.array(z.string({ message: 'invalid_type' }).trim().max(60, { message: 'too_long' }), { message: 'invalid_type' }).max(50, { message: 'too_many' });

export const contactInput = z.strictObject({
  name: z.string({ message: 'invalid_type' }).trim().min(1, { message: 'required' }).max(200, { message: 'too_long' }),
  email,
  outlet: z.string({ message: 'invalid_type' }).trim().max(200, { message: 'too_long' }).optional(),
  topics: topicSlugs.optional(),
  embargoList: z.boolean({ message: 'invalid_type' }).optional(),
  language: z.enum(LANGUAGES, { message: 'invalid_language' }).optional(),
});

export const subscribeInput = z.strictObject({
  name: z.string({ message: 'invalid_type' }).trim().min(1, { message: 'required' }).max(200, { message: 'too_long' }),
  email,
  outlet: z.string({ message: 'invalid_type' }).trim().min(1, { message: 'required' }).max(200, { message: 'too_long' }),
  topics: topicSlugs.optional(),
  language: z.enum(LANGUAGES, { message: 'invalid_language' }).optional(),
});

export interface MediaListDeps {
  db: Db;
  audit: AuditService;
  mail: Mailer;
  tenancy: TenancyService;
  publicUrl?: string;
}

/** The address e-mailed links start with: PUBLIC_URL with the tenant's host, else http://host. */
export async function tenantOrigin(tenancy: TenancyService, publicUrl: string | undefined, tenantId: string, q: Queryable) {
  const tenant = await tenancy.get(tenantId, q);
  const host = tenant.hostnames[0] ?? 'localhost';
  return { tenant, origin: publicUrl ? publicUrl.replace('{host}', host).replace(/\/$/, '') : `http://${host}` };
}

export class MediaListService {
  constructor(private d: MediaListDeps) {}

  /** Staff: communications and publishers (tenant admins implied) of this tenant. */
  requireEditor(actor: Actor, tenantId: string) {
    return requireNewsEditor(actor, tenantId);
  }

  private async knownTopics(q: Queryable, tenantId: string, topics: string[] | undefined, field = 'topics'): Promise<string[]> {
    const wanted = [...new Set((topics ?? []).filter(Boolean))];
    if (!wanted.length) return [];
    const r = await q.query<{ slug: string }>('select slug from news_topics where tenant_id = $1 and slug = any($2)', [tenantId, wanted]);
    const known = new Set(r.rows.map((x) => x.slug));
    const unknown = wanted.find((t) => !known.has(t));
    if (unknown) throw new AppError('validation_failed', 400, { fields: { [field]: 'unknown_topic' } });
    return wanted;
  }

  async list(actor: Actor, tenantId: string, f: { q?: string; limit?: number; offset?: number } = {}): Promise<{ contacts: MediaContact[]; total: number }> {
    const user = this.requireEditor(actor, tenantId);
    const limit = Math.min(Math.max(f.limit ?? 100, 1), 500);
    const offset = Math.max(f.offset ?? 0, 0);
    const args: unknown[] = [tenantId];
    let where = 'tenant_id = $1';
    const q = f.q?.trim();
    if (q) {
      args.push(`%${q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`);
      where += ` and (lower(name) like $2 or lower(email) like $2 or lower(outlet) like $2)`;
    }
    return this.d.db.transaction(async (tx) => {
      const rows = await tx.query<Row>(`select ${COLUMNS}, count(*) over () as total from media_contacts where ${where} order by lower(name), lower(email) limit ${limit} offset ${offset}`, args);
      await this.d.audit.record(tx, tenantId, actor, { action: 'media_contacts.list', targetKind: 'media_contacts', details: { q: q ?? null, count: rows.rows.length, by: user.id } });
      return { contacts: rows.rows.map(fromRow), total: Number(rows.rows[0]?.total ?? 0) };
    });
  }

  async get(actor: Actor, tenantId: string, id: string): Promise<MediaContact> {
    this.requireEditor(actor, tenantId);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    return this.d.db.transaction(async (tx) => {
      const r = await tx.query<Row>(`select ${COLUMNS} from media_contacts where tenant_id = $1 and id = $2`, [tenantId, id]);
      if (!r.rows[0]) throw new AppError('not_found', 404);
      await this.d.audit.record(tx, tenantId, actor, { action: 'media_contacts.read', targetKind: 'media_contact', targetId: id });
      return fromRow(r.rows[0]);
    });
  }

  /** Creates (id null) or updates a contact. Staff-added contacts count as confirmed. */
  async save(actor: Actor, tenantId: string, id: string | null, body: unknown, ctx: { ip?: string } = {}): Promise<MediaContact> {
    this.requireEditor(actor, tenantId);
    if (id !== null && !isUuid(id)) throw new AppError('not_found', 404);
    const input = parse(contactInput, body);
    return this.d.db.transaction(async (tx) => {
      const topics = await this.knownTopics(tx, tenantId, input.topics);
      const dup = await tx.query<{ id: string }>('select id from media_contacts where tenant_id = $1 and lower(email) = $2', [tenantId, input.email]);
      if (dup.rows[0] && dup.rows[0].id !== id) throw new AppError('conflict', 409, { fields: { email: 'already_listed' }, reason: 'email_taken' });
      let r;
      if (id === null) {
        r = await tx.query<Row>(
          `insert into media_contacts (tenant_id, name, email, outlet, topics, embargo_list, language, confirmed, source, unsubscribe_token, confirmed_at)
           values ($1, $2, $3, $4, $5, $6, $7, true, 'staff', $8, now()) returning ${COLUMNS}`,
          [tenantId, input.name, input.email, input.outlet ?? '', topics, input.embargoList ?? false, input.language ?? 'fi', randomToken(24)],
        );
      } else {
        r = await tx.query<Row>(
          `update media_contacts set name = $3, email = $4, outlet = $5, topics = $6, embargo_list = $7, language = $8, updated_at = now()
           where tenant_id = $1 and id = $2 returning ${COLUMNS}`,
          [tenantId, id, input.name, input.email, input.outlet ?? '', topics, input.embargoList ?? false, input.language ?? 'fi'],
        );
        if (!r.rows[0]) throw new AppError('not_found', 404);
      }
      const contact = fromRow(r.rows[0]);
      await this.d.audit.record(tx, tenantId, actor, {
        action: id === null ? 'media_contacts.create' : 'media_contacts.update',
        targetKind: 'media_contact',
        targetId: contact.id,
        details: { embargoList: contact.embargoList },
        ip: ctx.ip,
      });
      return contact;
    });
  }

  async remove(actor: Actor, tenantId: string, id: string, ctx: { ip?: string } = {}): Promise<void> {
    this.requireEditor(actor, tenantId);
    if (!isUuid(id)) throw new AppError('not_found', 404);
    await this.d.db.transaction(async (tx) => {
      const r = await tx.query<Row>('delete from media_contacts where tenant_id = $1 and id = $2 returning id', [tenantId, id]);
      if (!r.rows[0]) throw new AppError('not_found', 404);
      await this.d.audit.record(tx, tenantId, actor, { action: 'media_contacts.delete', targetKind: 'media_contact', targetId: id, ip: ctx.ip });
    });
  }

  /**
   * Imports contacts from CSV (a header row, then one contact per line; comma or semicolon
   * separated, quotes as in RFC 4180). Columns: name, email, outlet, topics (slugs separated
   * by spaces or "|"), embargo (yes/no, kyllä/ei, ja/nej, true/false, 1/0), language
   * (fi/sv/en). An address already on the list is updated. All or nothing: any bad row
   * refuses the whole file, naming the lines.
   */
  async importCsv(actor: Actor, tenantId: string, csv: string, ctx: { ip?: string } = {}): Promise<{ created: number; updated: number }> {
    this.requireEditor(actor, tenantId);
    const rows = parseCsv(csv.replace(/^\uFEFF/, ''));
    const header = (rows.shift() ?? []).map((h) => h.trim().toLowerCase());
    const col = (name: string) => header.indexOf(name);
    if (col('name') < 0 || col('email') < 0) throw new AppError('validation_failed', 400, { fields: { file: 'csv_header' } });
    if (rows.length > 5000) throw new AppError('validation_failed', 400, { fields: { file: 'too_many_rows' } });
    const yes = new Set(['yes', 'kyllä', 'kylla', 'ja', 'true', '1', 'x']);
    const no = new Set(['', 'no', 'ei', 'nej', 'false', '0']);
    return this.d.db.transaction(async (tx) => {
      const known = new Set((await tx.query<{ slug: string }>('select slug from news_topics where tenant_id = $1', [tenantId])).rows.map((r) => r.slug));
      const problems: { line: number; field: string; code: string }[] = [];
      const inputs: z.output<typeof contactInput>[] = [];
      const seen = new Set<string>();
      rows.forEach((cells, i) => {
        const line = i + 2;
        if (cells.every((c) => c.trim() === '')) return;
        const cell = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '').trim() : '');
        const embargo = cell('embargo').toLowerCase();
        if (!yes.has(embargo) && !no.has(embargo)) problems.push({ line, field: 'embargo', code: 'invalid' });
        const topics = cell('topics').split(/[\s|]+/).filter(Boolean);
        for (const t of topics) if (!known.has(t)) problems.push({ line, field: 'topics', code: 'unknown_topic' });
        const r = contactInput.safeParse({
          name: cell('name'),
          email: cell('email'),
          outlet: cell('outlet'),
          topics,
          embargoList: yes.has(embargo),
          language: cell('language').toLowerCase() || undefined,
        });
        if (!r.success) {
          for (const issue of r.error.issues) problems.push({ line, field: String(issue.path[0] ?? '_'), code: issue.code === 'invalid_type' ? 'invalid_type' : issue.message });
          return;
        }
        if (seen.has(r.data.email)) problems.push({ line, field: 'email', code: 'duplicate_in_file' });
        seen.add(r.data.email);
        inputs.push(r.data);
      });
      if (problems.length) throw new AppError('validation_failed', 400, { fields: { file: 'csv_rows' }, rows: problems.slice(0, 50) });
      let created = 0;
      let updated = 0;
      for (const c of inputs) {
        const r = await tx.query<{ created: boolean }>(
          `insert into media_contacts (tenant_id, name, email, outlet, topics, embargo_list, language, confirmed, source, unsubscribe_token, confirmed_at)
           values ($1, $2, $3, $4, $5, $6, $7, true, 'staff', $8, now())
           on conflict (tenant_id, lower(email)) do update set name = excluded.name, outlet = excluded.outlet, topics = excluded.topics,
             embargo_list = excluded.embargo_list, language = excluded.language, updated_at = now()
           returning (xmax = 0) as created`,
          [tenantId, c.name, c.email, c.outlet ?? '', c.topics ?? [], c.embargoList ?? false, c.language ?? 'fi', randomToken(24)],
        );
        if (r.rows[0].created) created++;
        else updated++;
      }
      await this.d.audit.record(tx, tenantId, actor, { action: 'media_contacts.import', targetKind: 'media_contacts', details: { created, updated }, ip: ctx.ip });
      return { created, updated };
    });
  }

  /**
   * A journalist subscribes (public form). A new or still unconfirmed address gets a
   * confirmation mail (at most one per address in ten minutes); nothing is sent for an
   * address already confirmed, and the answer is the same either way, so the form does not
   * tell who is on the list.
   */
  async subscribe(tenantId: string, body: unknown, lang: Lang): Promise<void> {
    const input = parse(subscribeInput, body);
    const language = input.language ?? lang;
    await this.d.db.transaction(async (tx) => {
      const topics = await this.knownTopics(tx, tenantId, input.topics);
      const existing = await tx.query<Row>(
        `select id, confirmed, updated_at > now() - interval '10 minutes' as recent from media_contacts where tenant_id = $1 and lower(email) = $2`,
        [tenantId, input.email],
      );
      // Confirmed already, or a confirmation went out minutes ago: nothing more to that
      // mailbox (the form must not become a way to flood someone's inbox).
      if (existing.rows[0]?.confirmed || existing.rows[0]?.recent) return;
      const token = randomToken(24);
      let id: string;
      if (existing.rows[0]) {
        id = existing.rows[0].id;
        await tx.query(
          `update media_contacts set name = $3, outlet = $4, topics = $5, language = $6, confirm_token_hash = $7, updated_at = now() where tenant_id = $1 and id = $2`,
          [tenantId, id, input.name, input.outlet, topics, language, sha256(token)],
        );
      } else {
        const r = await tx.query<{ id: string }>(
          `insert into media_contacts (tenant_id, name, email, outlet, topics, embargo_list, language, confirmed, source, confirm_token_hash, unsubscribe_token)
           values ($1, $2, $3, $4, $5, false, $6, false, 'self', $7, $8) returning id`,
          [tenantId, input.name, input.email, input.outlet, topics, language, sha256(token), randomToken(24)],
        );
        id = r.rows[0].id;
      }
      const { tenant, origin } = await tenantOrigin(this.d.tenancy, this.d.publicUrl, tenantId, tx);
      const org = pick(tenant.names, language).text;
      const link = `${origin}/${language}/press/subscribe/confirm/${token}`;
      await this.d.mail.enqueue(tx, {
        tenantId,
        to: input.email,
        subject: mailText(language, 'confirmSubject', { org }),
        text: mailText(language, 'confirmText', { name: input.name, org, link }),
      });
      await this.d.audit.record(tx, tenantId, { kind: 'anonymous' }, { action: 'media_contacts.subscribe', targetKind: 'media_contact', targetId: id });
    });
  }

  /** The confirmation link's token → confirmed. Unknown or used tokens: 404. */
  async confirm(tenantId: string, token: string): Promise<void> {
    if (!token || token.length > 100) throw new AppError('not_found', 404);
    await this.d.db.transaction(async (tx) => {
      const r = await tx.query<{ id: string }>(
        `update media_contacts set confirmed = true, confirmed_at = now(), confirm_token_hash = null, updated_at = now()
         where tenant_id = $1 and confirm_token_hash = $2 and not confirmed returning id`,
        [tenantId, sha256(token)],
      );
      if (!r.rows[0]) throw new AppError('not_found', 404);
      await this.d.audit.record(tx, tenantId, { kind: 'anonymous' }, { action: 'media_contacts.confirm', targetKind: 'media_contact', targetId: r.rows[0].id });
    });
  }

  /**
   * Removes the contact (the link in every mail; RFC 8058 one-click too). Idempotent: an
   * address already removed answers the same.
   */
  async unsubscribe(tenantId: string, token: string): Promise<void> {
    if (!token || token.length > 100) return;
    await this.d.db.transaction(async (tx) => {
      const r = await tx.query<{ id: string }>('delete from media_contacts where tenant_id = $1 and unsubscribe_token = $2 returning id', [tenantId, token]);
      if (r.rows[0]) {
        await this.d.audit.record(tx, tenantId, { kind: 'anonymous' }, { action: 'media_contacts.unsubscribe', targetKind: 'media_contact', targetId: r.rows[0].id });
      }
    });
  }

  /**
   * Confirmed contacts whose topics match (a contact with no topics takes all); only the
   * embargo list when `embargoListOnly`. With the unsubscribe token, for the mail's links.
   */
  async recipients(q: Queryable, tenantId: string, topics: string[], embargoListOnly: boolean): Promise<(MediaContact & { unsubscribeToken: string })[]> {
    const r = await q.query<Row>(
      `select ${COLUMNS}, unsubscribe_token from media_contacts
       where tenant_id = $1 and confirmed and (topics = '{}' or topics && $2::text[]) ${embargoListOnly ? 'and embargo_list' : ''}
       order by created_at`,
      [tenantId, topics],
    );
    return r.rows.map((row) => ({ ...fromRow(row), unsubscribeToken: row.unsubscribe_token }));
  }

  /** A contact's row with its unsubscribe token (the delivery job builds the mail from it). */
  async forDelivery(q: Queryable, tenantId: string, id: string): Promise<(MediaContact & { unsubscribeToken: string }) | null> {
    const r = await q.query<Row>(`select ${COLUMNS}, unsubscribe_token from media_contacts where tenant_id = $1 and id = $2`, [tenantId, id]);
    return r.rows[0] ? { ...fromRow(r.rows[0]), unsubscribeToken: r.rows[0].unsubscribe_token } : null;
  }
}

/** RFC 4180 rows: quoted fields may hold separators, quotes ("") and line breaks; "," or ";" by the header line. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const sep = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
