import type { Db } from '../../platform/db.ts';
import type { Localized } from '../../platform/i18n.ts';
import type { CategoryAttribute } from './model.ts';

/**
 * Read helpers of the console's case page that the core does not offer: a case's category
 * with its attribute labels, also when the category has since been deactivated. Callers
 * have already passed the case's authorization (services.feedback.get).
 */
export async function caseCategory(db: Db, tenantId: string, categoryId: string): Promise<{ names: Localized; attributes: CategoryAttribute[] } | null> {
  const r = await db.query<{ names: Localized; attributes: CategoryAttribute[] }>('select names, attributes from feedback_categories where tenant_id = $1 and id = $2', [
    tenantId,
    categoryId,
  ]);
  return r.rows[0] ?? null;
}

/** Catalog services a category can be linked to (the category editor's select), by Finnish name. */
export async function serviceOptions(db: Db, tenantId: string): Promise<{ id: string; names: Localized }[]> {
  const r = await db.query<{ id: string; names: Localized }>(
    `select id, names from catalog_services where tenant_id = $1 and status <> 'archived' order by coalesce(names->>'fi', names->>'sv', names->>'en') limit 2000`,
    [tenantId],
  );
  return r.rows;
}
