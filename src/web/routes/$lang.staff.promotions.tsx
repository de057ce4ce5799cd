import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { AppError } from '../../platform/errors.ts';
import { pick, type Lang } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { TableWrap } from '../components/TableWrap.tsx';
import { useRoot } from '../root.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { DeleteForm, LanguageField, ListHead } from '../staff/catalog-list-ui.tsx';
import {
  addForm,
  editAction,
  Field,
  FormProblem,
  formValues,
  langName,
  Notice,
  noticeFrom,
  requireEditorPage,
  str,
  useCatalogText,
  type EditResult,
} from '../staff/catalog-edit-ui.tsx';
import { runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** Promoted answers: a phrase in a language → a service, unit or page shown first. */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireEditorPage(context, request, params);
  const { synonyms, catalogEdit, contentPages } = context.services;
  const tenantId = context.tenant.id;
  return runLoader(async () => {
    const [items, services, channels, pages] = await Promise.all([
      synonyms.listPromotions(context.actor, tenantId),
      catalogEdit.serviceChoices(tenantId),
      catalogEdit.channelChoices(tenantId),
      contentPages.list(context.actor, tenantId),
    ]);
    const url = new URL(request.url);
    return {
      lang,
      notice: noticeFrom(request, ['promotionRemoved']),
      preset: { kind: url.searchParams.get('kind') ?? '', refId: url.searchParams.get('refId') ?? '' },
      items: items.map((p) => ({ ...p, target: p.targetNames ? pick(p.targetNames, lang) : null })),
      choices: {
        service: services.map((s) => ({ id: s.id, name: pick(s.names, lang).text })),
        unit: channels.filter((c) => c.kind === 'service_location').map((c) => ({ id: c.id, name: pick(c.names, lang).text })),
        page: pages.map((p) => ({ id: p.id, name: pick(p.title, lang).text || p.slug })),
      },
    };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireEditorPage(context, request, params);
  const form = await request.formData();
  const intent = str(form, 'intent');
  const { synonyms } = context.services;
  return editAction(lang, intent, formValues(form), async () => {
    if (intent === 'add') {
      // An id typed in wins over the select; the select's value is "kind:id".
      const typed = str(form, 'refId').trim();
      const [kind, refId] = typed ? [str(form, 'kind'), typed] : str(form, 'target').split(':');
      await synonyms.addPromotion(context.actor, context.tenant.id, { lang: str(form, 'lang'), phrase: str(form, 'phrase'), kind: kind ?? '', refId: refId ?? '' }, { ip: context.ip });
      return { ok: true, intent, notice: 'promotionAdded' } satisfies EditResult;
    }
    if (intent === 'delete') {
      await synonyms.removePromotion(context.actor, context.tenant.id, str(form, 'id'), { ip: context.ip });
      return redirect(`/${lang}/staff/promotions?notice=promotionRemoved`);
    }
    throw new AppError('validation_failed', 400, { fields: { intent: 'invalid_type' } });
  });
}

const KIND = { service: 'targetService', unit: 'targetUnit', page: 'targetPage' } as const;

export default function PromotionsPage() {
  const { lang, items, choices, notice, preset } = useLoaderData<typeof loader>();
  const result = useActionData() as EditResult | undefined;
  const { tenant } = useRoot();
  const t = useCatalogText();
  const { v, err } = addForm(t, result);
  const presetTarget = preset.kind && preset.refId ? `${preset.kind}:${preset.refId}` : '';
  return (
    <>
      <ListHead lang={lang} t={t} title="promotionsTitle" intro="promotionsIntro" />
      {notice && !result && <Notice>{t(notice)}</Notice>}

      <section aria-labelledby="add-promotion">
        <h2 id="add-promotion">{t('addPromotion')}</h2>
        <FormProblem result={result} t={t} />
        <Form method="post" reloadDocument noValidate aria-labelledby="add-promotion">
          <CsrfField />
          <input type="hidden" name="intent" value="add" />
          <LanguageField t={t} languages={tenant.languages as Lang[]} value={v('lang', lang)} error={err('lang')} />
          <Field name="phrase" label={t('fieldPhrase')} hint={t('phraseHint')} error={err('phrase')} t={t}>
            {(aria) => <input {...aria} type="text" defaultValue={v('phrase')} autoComplete="off" maxLength={100} required />}
          </Field>
          <Field name="target" label={t('fieldTarget')} hint={t('targetHint')} error={err('refId') ?? err('kind')} t={t}>
            {(aria) => (
              <select {...aria} defaultValue={v('target', presetTarget)}>
                <option value="">{t('targetChoose')}</option>
                {(['service', 'unit', 'page'] as const).map((k) => (
                  <optgroup key={k} label={t(KIND[k])}>
                    {choices[k].map((c) => (
                      <option key={c.id} value={`${k}:${c.id}`}>
                        {c.name}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            )}
          </Field>
          <div className="toolbar">
            <Field name="kind" label={t('fieldTargetKind')} t={t}>
              {(aria) => (
                <select {...aria} defaultValue={v('kind', 'service')}>
                  {(['service', 'unit', 'page'] as const).map((k) => (
                    <option key={k} value={k}>
                      {t(KIND[k])}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field name="refId" label={t('fieldTargetId')} t={t}>
              {(aria) => <input {...aria} type="text" defaultValue={v('refId')} autoComplete="off" spellCheck={false} maxLength={36} />}
            </Field>
          </div>
          <button type="submit">{t('addPromotion')}</button>
        </Form>
      </section>

      <section aria-labelledby="promotions-list">
        <h2 id="promotions-list">
          {t('promotionsTitle')} <span className="badge">{items.length}</span>
        </h2>
        {items.length === 0 ? (
          <p>{t('noPromotionsAll')}</p>
        ) : (
          <TableWrap label={t('promotionsTitle')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('fieldLanguage')}</th>
                  <th scope="col">{t('colPhrase')}</th>
                  <th scope="col">{t('colTarget')}</th>
                  <th scope="col">{t('colActions')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((p) => (
                  <tr key={p.id}>
                    <td>{langName(t, p.lang)}</td>
                    <td lang={p.lang}>{p.phrase}</td>
                    <td>
                      {t(KIND[p.kind])}:{' '}
                      {p.target ? (
                        <a
                          href={p.kind === 'service' ? `/${lang}/staff/catalog/services/${p.refId}` : p.kind === 'unit' ? `/${lang}/staff/catalog/units/${p.refId}` : `/${lang}/staff/pages/${p.refId}`}
                          lang={p.target.lang !== lang ? p.target.lang : undefined}
                        >
                          {p.target.text}
                        </a>
                      ) : (
                        t('targetMissing')
                      )}
                    </td>
                    <td>
                      <DeleteForm t={t} id={p.id} label={t('deletePromotion', { phrase: p.phrase })} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
