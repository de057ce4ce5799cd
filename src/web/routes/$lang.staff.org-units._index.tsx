import { Form, useActionData, useLoaderData } from 'react-router';
import { ORG_UNIT_KINDS, type OrgUnitNode } from '../../modules/tenancy/org-units.ts';
import { pick, type Lang } from '../../platform/i18n.ts';
import { formObject } from '../../platform/validation.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { staffAdmin } from '../i18n/staff-admin.ts';
import { pageLang, type ActionArgs, type LoaderArgs, runLoader } from '../server-helpers.ts';
import { AdminErrorBoundary, adminAction, FormOutcome, forIntent, requireAdminPage, unitOptionLabel, type AdminActionResult } from '../staff/admin-ui.tsx';
import { UnitFields, unitNamesFromForm } from '../staff/org-unit-fields.tsx';

/** The org-unit tree of the tenant and the form for a new unit. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireAdminPage(context, request, lang);
  return runLoader(async () => {
    const tree = await context.services.orgUnits.list(context.actor, context.tenant.id, lang);
    const rows: { id: string; depth: number; name: string }[] = [];
    const walk = (nodes: OrgUnitNode[]) => nodes.forEach((n) => (rows.push({ id: n.id, depth: n.depth, name: pick(n.names, lang).text }), walk(n.children)));
    walk(tree);
    return { lang, tree, rows, deleted: new URL(request.url).searchParams.get('notice') === 'deleted' };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireAdminPage(context, request, lang);
  const form = formObject(await request.formData());
  return adminAction(
    lang,
    'create',
    async () => {
      const unit = await context.services.orgUnits.create(
        context.actor,
        context.tenant.id,
        { kind: form.kind ?? '', parentId: form.parentId || null, names: unitNamesFromForm(form) },
        { ip: context.ip },
      );
      return { ok: true, intent: 'create', notice: 'unitCreated', vars: { name: pick(unit.names, lang).text } };
    },
    form,
  );
}

function Tree({ nodes, lang }: { nodes: OrgUnitNode[]; lang: Lang }) {
  const t = translator(staffAdmin, lang);
  return (
    <ul className="org-tree">
      {nodes.map((n) => {
        const name = pick(n.names, lang);
        return (
          <li key={n.id}>
            <a href={`/${lang}/staff/org-units/${n.id}`} lang={name.lang !== lang ? name.lang : undefined}>
              {name.text}
            </a>{' '}
            <span className="badge">{t(`kind_${n.kind}`)}</span>
            {n.children.length > 0 && <Tree nodes={n.children} lang={lang} />}
          </li>
        );
      })}
    </ul>
  );
}

export default function OrgUnitsPage() {
  const { lang, tree, rows, deleted } = useLoaderData<typeof loader>();
  const result = useActionData() as AdminActionResult | undefined;
  const t = translator(staffAdmin, lang);
  const create = forIntent(result, 'create');
  return (
    <>
      <title>{t('unitsTitle')}</title>
      <h1>{t('unitsTitle')}</h1>
      <p>{t('unitsIntro')}</p>
      {deleted && (
        <p role="status" className="notice">
          {t('unitDeleted')}
        </p>
      )}
      {tree.length === 0 ? (
        <p>{t('noUnits')}</p>
      ) : (
        <nav aria-label={t('treeLabel')}>
          <Tree nodes={tree} lang={lang} />
        </nav>
      )}

      <h2 id="new-unit">{t('newUnitTitle')}</h2>
      <FormOutcome result={create} lang={lang} />
      <Form method="post" reloadDocument noValidate aria-labelledby="new-unit">
        <CsrfField />
        <input type="hidden" name="intent" value="create" />
        <UnitFields lang={lang} fields={create.fields} values={create.values} kinds={ORG_UNIT_KINDS} />
        <div className="field">
          <label htmlFor="parentId">{t('fieldParent')}</label>
          <select
            id="parentId"
            name="parentId"
            defaultValue={create.values?.parentId ?? ''}
            aria-describedby={create.fields.parentId ? 'parentId-error' : undefined}
            aria-invalid={create.fields.parentId ? true : undefined}
          >
            <option value="">{t('topLevel')}</option>
            {rows.map((u) => (
              <option key={u.id} value={u.id}>
                {unitOptionLabel(u.depth, u.name)}
              </option>
            ))}
          </select>
          {create.fields.parentId && (
            <p id="parentId-error" className="field-error">
              {t(`err_${create.fields.parentId === 'cycle' ? 'cycle' : 'unknown_org_unit'}`)}
            </p>
          )}
        </div>
        <button type="submit">{t('createUnit')}</button>
      </Form>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
