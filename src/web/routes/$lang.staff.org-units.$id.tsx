import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { ORG_UNIT_KINDS, type OrgUnitNode } from '../../modules/tenancy/org-units.ts';
import { AppError } from '../../platform/errors.ts';
import { pick } from '../../platform/i18n.ts';
import { formObject } from '../../platform/validation.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { staffAdmin } from '../i18n/staff-admin.ts';
import { ROLE_LABEL, staff } from '../i18n/staff.ts';
import { pageLang, type ActionArgs, type LoaderArgs, runLoader } from '../server-helpers.ts';
import { AdminErrorBoundary, adminAction, fieldErrorText, FormOutcome, forIntent, requireAdminPage, unitOptionLabel, type AdminActionResult } from '../staff/admin-ui.tsx';
import { UnitFields, unitNamesFromForm } from '../staff/org-unit-fields.tsx';

/** One org unit: rename (and change kind), move elsewhere in the tree, delete. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireAdminPage(context, request, lang);
  const { orgUnits } = context.services;
  return runLoader(async () => {
    const unit = await orgUnits.get(context.actor, context.tenant.id, params.id ?? '');
    const tree = await orgUnits.tree(context.tenant.id, lang);
    // A unit cannot move under itself or its subtree, so those are not offered as parents.
    const rows: { id: string; depth: number; name: string }[] = [];
    const path = (await orgUnits.ancestors(context.tenant.id, unit.id)).slice(1).reverse();
    const walk = (nodes: OrgUnitNode[]) => {
      for (const n of nodes) {
        if (n.id === unit.id) continue;
        rows.push({ id: n.id, depth: n.depth, name: pick(n.names, lang).text });
        walk(n.children);
      }
    };
    walk(tree);
    const names = new Map(rows.map((r) => [r.id, r.name]));
    const holders = await context.services.staffUsers.grantsInUnit(context.actor, context.tenant.id, unit.id);
    return { lang, unit, parents: rows, path: path.map((id) => names.get(id) ?? ''), holders };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireAdminPage(context, request, lang);
  const form = formObject(await request.formData());
  const { orgUnits } = context.services;
  const { actor, tenant } = context;
  const id = params.id ?? '';
  const intent = form.intent ?? '';
  return adminAction(
    lang,
    intent,
    async () => {
      switch (intent) {
        case 'update':
          await orgUnits.update(actor, tenant.id, id, { kind: form.kind ?? '', names: unitNamesFromForm(form) }, { ip: context.ip });
          return { ok: true, intent, notice: 'unitSaved' };
        case 'move':
          await orgUnits.update(actor, tenant.id, id, { parentId: form.parentId || null }, { ip: context.ip });
          return { ok: true, intent, notice: 'unitMoved' };
        case 'delete':
          await orgUnits.delete(actor, tenant.id, id, { ip: context.ip });
          return redirect(`/${lang}/staff/org-units?notice=deleted`);
        default:
          throw new AppError('validation_failed', 400, { fields: { intent: 'invalid_type' } });
      }
    },
    form,
  );
}

export default function OrgUnitPage() {
  const { lang, unit, parents, path, holders } = useLoaderData<typeof loader>();
  const s = translator(staff, lang);
  const result = useActionData() as AdminActionResult | undefined;
  const t = translator(staffAdmin, lang);
  const name = pick(unit.names, lang);
  const update = forIntent(result, 'update');
  const move = forIntent(result, 'move');
  const del = forIntent(result, 'delete');
  return (
    <>
      <title>{`${name.text} – ${t('unitsTitle')}`}</title>
      <p>
        <a href={`/${lang}/staff/org-units`}>{t('backToUnits')}</a>
      </p>
      <h1 lang={name.lang !== lang ? name.lang : undefined}>{name.text}</h1>
      <dl className="facts">
        <dt>{t('fieldKind')}</dt>
        <dd>{t(`kind_${unit.kind}`)}</dd>
        <dt>{t('location')}</dt>
        <dd>{path.length ? path.join(' › ') : t('topLevel')}</dd>
      </dl>

      <section aria-labelledby="holders">
        <h2 id="holders">{t('holdersTitle')}</h2>
        {holders.length === 0 ? (
          <p>{t('noHolders')}</p>
        ) : (
          <ul>
            {holders.map((h) => (
              <li key={h.grantId}>
                <a href={`/${lang}/staff/users/${h.userId}`}>{h.name}</a> – {s(ROLE_LABEL[h.role])}
                {!h.active && <> ({t('statusInactive')})</>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="rename">
        <h2 id="rename">{t('renameTitle')}</h2>
        <FormOutcome result={update} lang={lang} />
        <Form method="post" reloadDocument noValidate aria-labelledby="rename">
          <CsrfField />
          <input type="hidden" name="intent" value="update" />
          <UnitFields lang={lang} fields={update.fields} values={update.values} current={unit} kinds={ORG_UNIT_KINDS} />
          <button type="submit">{t('saveUnit')}</button>
        </Form>
      </section>

      <section aria-labelledby="move">
        <h2 id="move">{t('moveTitle')}</h2>
        <FormOutcome result={move} lang={lang} />
        <Form method="post" reloadDocument noValidate aria-labelledby="move">
          <CsrfField />
          <input type="hidden" name="intent" value="move" />
          <div className="field">
            <label htmlFor="parentId">{t('fieldParent')}</label>
            <p id="parentId-hint" className="hint">
              {t('moveHint')}
            </p>
            <select
              id="parentId"
              name="parentId"
              defaultValue={move.values?.parentId ?? unit.parentId ?? ''}
              aria-describedby={move.fields.parentId ? 'parentId-hint parentId-error' : 'parentId-hint'}
              aria-invalid={move.fields.parentId ? true : undefined}
            >
              <option value="">{t('topLevel')}</option>
              {parents.map((u) => (
                <option key={u.id} value={u.id}>
                  {unitOptionLabel(u.depth, u.name)}
                </option>
              ))}
            </select>
            {move.fields.parentId && (
              <p id="parentId-error" className="field-error">
                {fieldErrorText(lang, move.fields.parentId)}
              </p>
            )}
          </div>
          <button type="submit">{t('move')}</button>
        </Form>
      </section>

      <section aria-labelledby="delete">
        <h2 id="delete">{t('deleteTitle')}</h2>
        <FormOutcome result={del} lang={lang} />
        <p id="delete-hint">{t('deleteHint')}</p>
        <Form method="post" reloadDocument>
          <CsrfField />
          <input type="hidden" name="intent" value="delete" />
          <button type="submit" className="danger" aria-describedby="delete-hint">
            {t('deleteUnit')}
          </button>
        </Form>
      </section>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
