import type { Localized } from '../../platform/i18n.ts';
import type { Queryable } from '../../platform/db.ts';
import type { LocalizedList } from '../catalog/model.ts';

export type SearchKind = 'service' | 'unit' | 'page';

/**
 * One routable item as the routing engine sees it. Field order is weight order: names above
 * alternative names and keywords, those above classes and the summary, the summary above the
 * description. Built by src/modules/catalog/search-documents.ts.
 */
export interface SearchDocument {
  kind: SearchKind;
  refId: string;
  externalId: string | null;
  /** Resident path after /{lang}, e.g. /services/<id>. */
  path: string;
  names: Localized;
  alternativeNames: LocalizedList;
  keywords: LocalizedList;
  /** Names of service classes and target groups. */
  classes: LocalizedList;
  summary: Localized;
  description: Localized;
}

/**
 * The routing index's write side. Callers pass their open transaction so the index changes
 * with the catalog row or not at all.
 */
export class SearchIndex {
  async put(tx: Queryable, tenantId: string, doc: SearchDocument): Promise<void> {
    await tx.query(
      `insert into search_documents (tenant_id, kind, ref_id, external_id, doc)
       values ($1, $2, $3, $4, $5)
       on conflict (tenant_id, kind, ref_id) do update set external_id = excluded.external_id, doc = excluded.doc, updated_at = now()`,
      [tenantId, doc.kind, doc.refId, doc.externalId, JSON.stringify(doc)],
    );
  }

  async remove(tx: Queryable, tenantId: string, kind: SearchKind, refId: string): Promise<void> {
    await tx.query(`delete from search_documents where tenant_id = $1 and kind = $2 and ref_id = $3`, [tenantId, kind, refId]);
  }
}
