import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { AppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
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

/** The tenant's synonym list per language: add and delete. */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireEditorPage(context, request, params);
  return runLoader(async () => ({
    lang,
    items: await context.services.synonyms.listSynonyms(context.actor, context.tenant.id),
    notice: noticeFrom(request, ['synonymRemoved']),
  }));
}

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireEditorPage(context, request, params);
  const form = await request.formData();
  const intent = str(form, 'intent');
  const { synonyms } = context.services;
  return editAction(lang, intent, formValues(form), async () => {
    if (intent === 'add') {
      const s = await synonyms.addSynonym(context.actor, context.tenant.id, { lang: str(form, 'lang'), term: str(form, 'term'), expansion: str(form, 'expansion') }, { ip: context.ip });
      return { ok: true, intent, notice: 'synonymAdded', vars: { term: s.term, expansion: s.expansion } } satisfies EditResult;
    }
    if (intent === 'delete') {
      await synonyms.removeSynonym(context.actor, context.tenant.id, str(form, 'id'), { ip: context.ip });
      return redirect(`/${lang}/staff/synonyms?notice=synonymRemoved`);
    }
    throw new AppError('validation_failed', 400, { fields: { intent: 'invalid_type' } });
  });
}

export default function SynonymsPage() {
  const { lang, items, notice } = useLoaderData<typeof loader>();
  const result = useActionData() as EditResult | undefined;
  const { tenant } = useRoot();
  const t = useCatalogText();
  const { v, err } = addForm(t, result);
  const languages = tenant.languages as Lang[];
  return (
    <>
      <ListHead lang={lang} t={t} title="synonymsTitle" intro="synonymsIntro" />
      {notice && !result && <Notice>{t(notice)}</Notice>}

      <section aria-labelledby="add-synonym">
        <h2 id="add-synonym">{t('addSynonym')}</h2>
        <FormProblem result={result} t={t} />
        <Form method="post" reloadDocument noValidate aria-labelledby="add-synonym">
          <CsrfField />
          <input type="hidden" name="intent" value="add" />
          <LanguageField t={t} languages={languages} value={v('lang') || lang} error={err('lang')} />
          <Field name="term" label={t('fieldTerm')} hint={t('termHint')} error={err('term')} t={t}>
            {(aria) => <input {...aria} type="text" defaultValue={v('term')} autoComplete="off" maxLength={60} required />}
          </Field>
          <Field name="expansion" label={t('fieldExpansion')} hint={t('expansionHint')} error={err('expansion')} t={t}>
            {(aria) => <input {...aria} type="text" defaultValue={v('expansion')} autoComplete="off" maxLength={200} required />}
          </Field>
          <button type="submit">{t('addSynonym')}</button>
        </Form>
      </section>

      {languages.map((l) => {
        const list = items.filter((s) => s.lang === l);
        const heading = t('synonymsOf', { language: langName(t, l) });
        return (
          <section key={l} aria-labelledby={`syn-${l}`}>
            <h2 id={`syn-${l}`}>
              {heading} <span className="badge">{list.length}</span>
            </h2>
            {list.length === 0 ? (
              <p>{t('noSynonyms')}</p>
            ) : (
              <TableWrap label={heading}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('colTerm')}</th>
                      <th scope="col">{t('colExpansion')}</th>
                      <th scope="col">{t('colActions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((s) => (
                      <tr key={s.id}>
                        <td lang={l}>{s.term}</td>
                        <td lang={l}>{s.expansion}</td>
                        <td>
                          <DeleteForm t={t} id={s.id} label={t('deleteSynonym', { term: s.term, expansion: s.expansion })} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </section>
        );
      })}
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
