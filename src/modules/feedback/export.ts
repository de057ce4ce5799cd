import type { AuditService } from '../audit/audit.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db } from '../../platform/db.ts';
import { pick, type Lang } from '../../platform/i18n.ts';
import type { CaseContext, FeedbackCaseService } from './cases.ts';
import type { QueueFilter, QueueItem } from './model.ts';
import { STAFF_STATUS_NAMES } from './labels.ts';

/**
 * CSV export of a staff queue: the same filter and the same authorization as queue()
 * (it pages through queue() itself), plus the full description and contact details. The
 * file is for spreadsheets, so it starts with a UTF-8 BOM (Excel then reads ä and ö),
 * quotes per RFC 4180 with CRLF line ends, and neutralizes formula injection: a text cell
 * starting with = + - @ tab or CR gets a leading apostrophe. Contact details are personal
 * data, so every export is audited with its filter and row count.
 */

/** More than a spreadsheet is useful for; the file says when it was cut. */
export const EXPORT_MAX_ROWS = 10_000;

const HEADERS: Record<Lang, string[]> = {
  fi: ['Numero', 'Saapunut', 'Luokka', 'Yksikkö', 'Tila', 'Kanava', 'Osoite', 'Leveysaste', 'Pituusaste', 'Kuvaus', 'Käsittelijä', 'Määräaika', 'Myöhässä', 'Saavutettavuus', 'Julkaisu', 'Nimi', 'Sähköposti', 'Puhelin'],
  sv: ['Nummer', 'Mottagen', 'Kategori', 'Enhet', 'Status', 'Kanal', 'Adress', 'Latitud', 'Longitud', 'Beskrivning', 'Handläggare', 'Förfallodag', 'Försenad', 'Tillgänglighet', 'Publicering', 'Namn', 'E-post', 'Telefon'],
  en: ['Number', 'Received', 'Category', 'Unit', 'Status', 'Channel', 'Address', 'Latitude', 'Longitude', 'Description', 'Assigned to', 'Due', 'Overdue', 'Accessibility', 'Publication', 'Name', 'E-mail', 'Phone'],
};
const YES: Record<Lang, [string, string]> = { fi: ['kyllä', 'ei'], sv: ['ja', 'nej'], en: ['yes', 'no'] };
const TRUNCATED: Record<Lang, string> = {
  fi: `Vienti katkaistiin ${EXPORT_MAX_ROWS} riviin: rajaa hakua.`,
  sv: `Exporten avbröts vid ${EXPORT_MAX_ROWS} rader: avgränsa sökningen.`,
  en: `The export was cut at ${EXPORT_MAX_ROWS} rows: narrow the filter.`,
};

/** A text cell: formula-looking values defused, then quoted when RFC 4180 requires it. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let v = value;
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvLine(cells: (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

export class FeedbackExportService {
  constructor(private d: { db: Db; audit: AuditService; cases: FeedbackCaseService }) {}

  async csv(actor: Actor, tenantId: string, filter: QueueFilter, lang: Lang, ctx: CaseContext = {}): Promise<{ filename: string; body: string; rows: number }> {
    const items: QueueItem[] = [];
    let truncated = false;
    for (let page = 1; ; page++) {
      const r = await this.d.cases.queue(actor, tenantId, { ...filter, page });
      items.push(...r.items);
      if (items.length >= EXPORT_MAX_ROWS) {
        truncated = r.total > EXPORT_MAX_ROWS;
        items.length = Math.min(items.length, EXPORT_MAX_ROWS);
        break;
      }
      if (page * r.pageSize >= r.total || r.items.length === 0) break;
    }
    const details = new Map<string, { description: string; lat: number | null; lon: number | null; contact_name: string | null; contact_email: string | null; contact_phone: string | null }>();
    for (let i = 0; i < items.length; i += 1000) {
      const ids = items.slice(i, i + 1000).map((x) => x.id);
      const r = await this.d.db.query<{ id: string; description: string; lat: number | null; lon: number | null; contact_name: string | null; contact_email: string | null; contact_phone: string | null }>(
        'select id, description, lat, lon, contact_name, contact_email, contact_phone from feedback_cases where tenant_id = $1 and id = any($2::uuid[])',
        [tenantId, ids],
      );
      for (const row of r.rows) details.set(row.id, row);
    }
    const [yes, no] = YES[lang];
    let body = '\uFEFF' + csvLine(HEADERS[lang]);
    for (const x of items) {
      const d = details.get(x.id);
      body += csvLine([
        x.number,
        x.createdAt,
        pick(x.categoryNames, lang).text,
        pick(x.orgUnitNames, lang).text,
        STAFF_STATUS_NAMES[x.status][lang],
        x.channel,
        x.address,
        d?.lat ?? null,
        d?.lon ?? null,
        d?.description ?? x.excerpt,
        x.assignedToName,
        x.dueAt,
        x.overdue ? yes : no,
        x.accessibility ? yes : no,
        x.publication,
        d?.contact_name,
        d?.contact_email,
        d?.contact_phone,
      ]);
    }
    if (truncated) body += csvLine([TRUNCATED[lang]]);
    await this.d.audit.record(this.d.db, tenantId, actor, {
      action: 'feedback.export',
      targetKind: 'feedback_case',
      reason: 'case handling',
      details: { filter: cleanFilter(filter), rows: items.length, truncated },
      ip: ctx.ip,
    });
    const stamp = new Date().toISOString().slice(0, 10);
    return { filename: `feedback-${stamp}.csv`, body, rows: items.length };
  }
}

function cleanFilter(f: QueueFilter): Record<string, unknown> {
  return Object.fromEntries(Object.entries(f).filter(([k, v]) => k !== 'page' && v !== undefined && v !== '' && v !== false));
}
