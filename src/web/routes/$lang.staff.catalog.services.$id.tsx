import type { ReactNode } from 'react';
import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import type { Classification, Service } from '../../modules/catalog/model.ts';
import { AppError } from '../../platform/errors.ts';
import { LANGUAGES, pick, type Lang } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { useRoot } from '../root.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { fieldId } from '../staff/admin-page.ts';
import {
  editAction,
  editorForm,
  EditorHead,
  Field,
  FormProblem,
  formValues,
  KIND_LABEL,
  langName,
  listFrom,
  localizedFrom,
  Notice,
  noticeFrom,
  requireEditorPage,
  StatusBadge,
  str,
  strs,
  useCatalogText,
  type EditResult,
  type T,
} from '../staff/catalog-edit-ui.tsx';
import { runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/**
 * One service: create (/catalog/services/new) or edit. A local service is edited in full;
 * a service imported from PTV shows its PTV fields read-only and only Aukio's own search
 * words can be changed.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireEditorPage(context, request, params);
  const { catalogEdit, synonyms } = context.services;
  const tenantId = context.tenant.id;
  return runLoader(async () => {
    const [known, channels] = await Promise.all([catalogEdit.knownClassifications(tenantId), catalogEdit.channelChoices(tenantId)]);
    const service = params.id === 'new' ? null : await catalogEdit.getService(context.actor, tenantId, params.id ?? '');
    const promotions = service ? await synonyms.listPromotions(context.actor, tenantId, { kind: 'service', refId: service.id }) : [];
    const channelName = new Map(channels.map((c) => [c.id, { name: pick(c.names, lang), kind: c.kind }]));
    return {
      lang,
      service,
      known,
      channels: channels.map((c) => ({ id: c.id, kind: c.kind, name: pick(c.names, lang).text })),
      linked: (service?.channelIds ?? []).map((id) => ({ id, ...(channelName.get(id) ?? { name: { text: id, lang }, kind: 'web_page' as const }) })),
      promotions: promotions.map((p) => ({ id: p.id, lang: p.lang, phrase: p.phrase })),
      notice: noticeFrom(request, ['serviceSaved', 'serviceCreated']),
    };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireEditorPage(context, request, params);
  const form = await request.formData();
  const values = formValues(form);
  const { catalogEdit } = context.services;
  const { actor, tenant, ip } = context;
  const isNew = params.id === 'new';
  const intent = isNew ? 'create' : str(form, 'intent') || 'save';
  return editAction(lang, intent, values, async () => {
    if (intent === 'local') {
      await catalogEdit.updateService(actor, tenant.id, params.id ?? '', { updatedAt: str(form, 'updatedAt'), localKeywords: listFrom(form, 'localKeywords') }, { ip });
      return redirect(`/${lang}/staff/catalog/services/${params.id}?notice=serviceSaved`);
    }
    if (intent !== 'create' && intent !== 'save') throw new AppError('validation_failed', 400, { fields: { intent: 'invalid_type' } });
    const known = await catalogEdit.knownClassifications(tenant.id);
    const pickKnown = (list: Classification[], codes: string[]) => list.filter((c) => codes.includes(c.code));
    const body = {
      type: str(form, 'type'),
      status: str(form, 'status'),
      names: localizedFrom(form, 'names'),
      alternativeNames: listFrom(form, 'alternativeNames'),
      summary: localizedFrom(form, 'summary'),
      description: localizedFrom(form, 'description'),
      userInstructions: localizedFrom(form, 'userInstructions'),
      chargeType: str(form, 'chargeType') || null,
      chargeDescription: localizedFrom(form, 'chargeDescription'),
      serviceClasses: pickKnown(known.serviceClasses, strs(form, 'serviceClasses')),
      targetGroups: pickKnown(known.targetGroups, strs(form, 'targetGroups')),
      keywords: listFrom(form, 'keywords'),
      localKeywords: listFrom(form, 'localKeywords'),
      languages: strs(form, 'languages'),
      channelIds: [...strs(form, 'channelIds'), ...strs(form, 'addChannel')],
    };
    if (isNew) {
      const s = await catalogEdit.createService(actor, tenant.id, body, { ip });
      return redirect(`/${lang}/staff/catalog/services/${s.id}?notice=serviceCreated`);
    }
    await catalogEdit.updateService(actor, tenant.id, params.id ?? '', { ...body, updatedAt: str(form, 'updatedAt') }, { ip });
    return redirect(`/${lang}/staff/catalog/services/${params.id}?notice=serviceSaved`);
  });
}

const CHARGE_LABEL = { Charged: 'chargeCharged', Free: 'chargeFree', Other: 'chargeOther' } as const;

export default function ServiceEditor() {
  const { lang, service, known, channels, linked, promotions, notice } = useLoaderData<typeof loader>();
  const result = useActionData() as EditResult | undefined;
  const { tenant } = useRoot();
  const t = useCatalogText();
  const failure = result && !result.ok ? result : undefined;
  const submitted = failure?.values;
  const fields = failure?.fields;
  const { err, value } = editorForm(t, fields, submitted);
  const checked = (name: string, v: string, stored: boolean) => (submitted ? [submitted[name] ?? []].flat().includes(v) : stored);
  const title = service ? pick(service.names, lang) : { text: t('newService'), lang };
  const listHref = `/${lang}/staff/catalog/services`;
  const updatedAt = failure?.updatedAt ?? service?.updatedAt ?? '';
  // Every language the tenant uses, plus any the service already has text in (so a save never drops it).
  const langs = LANGUAGES.filter((l) => (tenant.languages as Lang[]).includes(l) || !!service?.names[l]);
  const imported = !!service?.externalId;

  const text = (name: string, label: string, stored: string | undefined, l: Lang, rows = 0) => (
    <Field name={name} label={label} error={err(name)} wide={rows > 0} t={t}>
      {(aria) => (rows ? <textarea {...aria} lang={l} rows={rows} defaultValue={value(name, stored)} /> : <input {...aria} type="text" lang={l} defaultValue={value(name, stored)} />)}
    </Field>
  );
  const list = (name: string, label: string, stored: string[] | undefined, l: Lang, hint = t('listHint')) => (
    <Field name={name} label={label} hint={hint} error={err(name)} wide t={t}>
      {(aria) => <textarea {...aria} lang={l} rows={3} defaultValue={value(name, (stored ?? []).join('\n'))} />}
    </Field>
  );

  return (
    <>
      <EditorHead lang={lang} t={t} list="servicesTitle" listHref={listHref} title={title} />
      {service && (
        <p>
          <StatusBadge status={service.status} t={t} /> {imported ? <span className="badge">PTV</span> : <span className="badge">{t('sourceLocal')}</span>}
        </p>
      )}
      {notice && !result && <Notice>{t(notice)}</Notice>}
      <FormProblem result={failure} t={t} savedHref={service ? `/${lang}/staff/catalog/services/${service.id}` : undefined} />

      {imported && service ? (
        <>
          <div className="info">
            <p>{t('importedNote')}</p>
          </div>
          <section aria-labelledby="local-additions">
            <h2 id="local-additions">{t('localAdditionsTitle')}</h2>
            <Form method="post" reloadDocument noValidate aria-labelledby="local-additions">
              <CsrfField />
              <input type="hidden" name="intent" value="local" />
              <input type="hidden" name="updatedAt" value={updatedAt} />
              {langs.map((l) => (
                <div key={l}>{list(`localKeywords.${l}`, t('fieldLocalKeywordsIn', { language: langName(t, l) }), service.localKeywords[l], l, t('localKeywordsHint'))}</div>
              ))}
              <button type="submit">{t('saveLocalKeywords')}</button>
            </Form>
          </section>
          <Promotions promotions={promotions} serviceId={service.id} lang={lang} t={t} />
          <ImportedFacts service={service} linked={linked} langs={langs} lang={lang} t={t} />
        </>
      ) : (
        <Form method="post" reloadDocument noValidate aria-label={service ? t('saveService') : t('createService')}>
          <CsrfField />
          {service && <input type="hidden" name="updatedAt" value={updatedAt} />}
          <h2>{t('sectionBasics')}</h2>
          <Field name="type" label={t('fieldType')} error={err('type')} t={t}>
            {(aria) => (
              <select {...aria} defaultValue={value('type', service?.type ?? 'Service')}>
                <option value="Service">{t('typeService')}</option>
                <option value="PermitOrObligation">{t('typePermit')}</option>
              </select>
            )}
          </Field>
          <Field name="status" label={t('fieldStatus')} hint={t('fieldStatusHint')} error={err('status')} t={t}>
            {(aria) => (
              <select {...aria} defaultValue={value('status', service?.status ?? 'draft')}>
                <option value="draft">{t('statusDraft')}</option>
                <option value="published">{t('statusPublished')}</option>
                <option value="archived">{t('statusArchived')}</option>
              </select>
            )}
          </Field>
          {langs.map((l) => (
            <div key={l}>
              {text(`names.${l}`, t('fieldNameIn', { language: langName(t, l) }), service?.names[l], l)}
              {list(`alternativeNames.${l}`, t('fieldAltNamesIn', { language: langName(t, l) }), service?.alternativeNames[l], l)}
            </div>
          ))}
          <h2>{t('sectionTexts')}</h2>
          {langs.map((l) => (
            <fieldset key={l}>
              <legend className="lang-legend">{langName(t, l)}</legend>
              {text(`summary.${l}`, t('fieldSummaryIn', { language: langName(t, l) }), service?.summary[l], l, 3)}
              {text(`description.${l}`, t('fieldDescriptionIn', { language: langName(t, l) }), service?.description[l], l, 8)}
              {text(`userInstructions.${l}`, t('fieldInstructionsIn', { language: langName(t, l) }), service?.userInstructions[l], l, 5)}
            </fieldset>
          ))}
          <h2>{t('sectionCharge')}</h2>
          <Field name="chargeType" label={t('fieldChargeType')} error={err('chargeType')} t={t}>
            {(aria) => (
              <select {...aria} defaultValue={value('chargeType', service?.chargeType)}>
                <option value="">{t('chargeNone')}</option>
                <option value="Free">{t('chargeFree')}</option>
                <option value="Charged">{t('chargeCharged')}</option>
                <option value="Other">{t('chargeOther')}</option>
              </select>
            )}
          </Field>
          {langs.map((l) => (
            <div key={l}>{text(`chargeDescription.${l}`, t('fieldChargeDescIn', { language: langName(t, l) }), service?.chargeDescription[l], l, 2)}</div>
          ))}
          <h2>{t('sectionClasses')}</h2>
          {(['serviceClasses', 'targetGroups'] as const).map((name) => (
            <fieldset key={name} className="field">
              <legend>{name === 'serviceClasses' ? t('fieldServiceClasses') : t('fieldTargetGroups')}</legend>
              {known[name].length === 0 && <p>{t('noClassifications')}</p>}
              {known[name].map((c) => (
                <div className="checkbox" key={c.code}>
                  <input
                    type="checkbox"
                    id={fieldId(`${name}-${c.code}`)}
                    name={name}
                    value={c.code}
                    defaultChecked={checked(name, c.code, !!service?.[name].some((x) => x.code === c.code))}
                  />
                  <label htmlFor={fieldId(`${name}-${c.code}`)}>
                    {pick(c.name, lang).text} ({c.code})
                  </label>
                </div>
              ))}
            </fieldset>
          ))}
          <h2>{t('sectionSearch')}</h2>
          {langs.map((l) => (
            <div key={l}>
              {list(`keywords.${l}`, t('fieldKeywordsIn', { language: langName(t, l) }), service?.keywords[l], l)}
              {list(`localKeywords.${l}`, t('fieldLocalKeywordsIn', { language: langName(t, l) }), service?.localKeywords[l], l, t('localKeywordsHint'))}
            </div>
          ))}
          <fieldset className="field">
            <legend>{t('fieldLanguages')}</legend>
            {LANGUAGES.map((l) => (
              <div className="checkbox" key={l}>
                <input type="checkbox" id={fieldId(`languages-${l}`)} name="languages" value={l} defaultChecked={checked('languages', l, service ? service.languages.includes(l) : l === tenant.defaultLanguage)} />
                <label htmlFor={fieldId(`languages-${l}`)}>{langName(t, l)}</label>
              </div>
            ))}
          </fieldset>
          <h2>{t('sectionChannels')}</h2>
          <fieldset className="field" aria-describedby={err('channelIds') ? `${fieldId('channelIds')}-error` : undefined}>
            <legend>{t('linkedChannels')}</legend>
            {linked.length ? <p className="hint">{t('linkedChannelsHint')}</p> : <p>{t('noLinkedChannels')}</p>}
            {linked.map((c) => (
              <div className="checkbox" key={c.id}>
                <input type="checkbox" id={fieldId(`ch-${c.id}`)} name="channelIds" value={c.id} defaultChecked={checked('channelIds', c.id, true)} />
                <label htmlFor={fieldId(`ch-${c.id}`)}>
                  <span lang={c.name.lang !== lang ? c.name.lang : undefined}>{c.name.text}</span> ({t(KIND_LABEL[c.kind])})
                </label>
              </div>
            ))}
            {err('channelIds') && (
              <p id={`${fieldId('channelIds')}-error`} className="field-error">
                {err('channelIds')}
              </p>
            )}
          </fieldset>
          <Field name="addChannel" label={t('addChannel')} t={t}>
            {(aria) => (
              <select {...aria} defaultValue="">
                <option value="">{t('addChannelNone')}</option>
                {(Object.keys(KIND_LABEL) as (keyof typeof KIND_LABEL)[]).map((k) => (
                  <optgroup key={k} label={t(KIND_LABEL[k])}>
                    {channels
                      .filter((c) => c.kind === k && !linked.some((x) => x.id === c.id))
                      .map((c) => (
                        <option key={c.id} value={c.id}>
                          {c.name}
                        </option>
                      ))}
                  </optgroup>
                ))}
              </select>
            )}
          </Field>
          <p className="button-row">
            <button type="submit">{service ? t('saveService') : t('createService')}</button>
          </p>
        </Form>
      )}
      {service && !imported && <Promotions promotions={promotions} serviceId={service.id} lang={lang} t={t} />}
    </>
  );
}

function Promotions({ promotions, serviceId, lang, t }: { promotions: { id: string; lang: Lang; phrase: string }[]; serviceId: string; lang: Lang; t: T }) {
  return (
    <section aria-labelledby="promoted">
      <h2 id="promoted">{t('promotedTitle')}</h2>
      <p>{t('promotedIntro')}</p>
      {promotions.length === 0 ? (
        <p>{t('noPromotions')}</p>
      ) : (
        <ul>
          {promotions.map((p) => (
            <li key={p.id}>
              <span lang={p.lang}>{p.phrase}</span> ({langName(t, p.lang)})
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={`/${lang}/staff/promotions?kind=service&refId=${serviceId}`}>{t('promotedManage')}</a>
      </p>
    </section>
  );
}

/** The PTV fields of an imported service, read-only. */
function ImportedFacts({
  service,
  linked,
  langs,
  lang,
  t,
}: {
  service: Service & { channelIds: string[] };
  linked: { id: string; name: { text: string; lang: Lang }; kind: keyof typeof KIND_LABEL }[];
  langs: Lang[];
  lang: Lang;
  t: T;
}) {
  const rows: [string, ReactNode][] = [[t('ptvId'), <code key="id">{service.externalId}</code>]];
  rows.push([t('fieldType'), service.type === 'PermitOrObligation' ? t('typePermit') : t('typeService')]);
  for (const l of langs) {
    const lg = langName(t, l);
    if (service.names[l]) rows.push([t('fieldNameIn', { language: lg }), <span lang={l}>{service.names[l]}</span>]);
    if (service.alternativeNames[l]?.length) rows.push([t('fieldAltNamesIn', { language: lg }), <span lang={l}>{service.alternativeNames[l]!.join(', ')}</span>]);
    if (service.summary[l]) rows.push([t('fieldSummaryIn', { language: lg }), <span lang={l}>{service.summary[l]}</span>]);
    if (service.description[l]) rows.push([t('fieldDescriptionIn', { language: lg }), <span lang={l} className="pre-line">{service.description[l]}</span>]);
    if (service.userInstructions[l]) rows.push([t('fieldInstructionsIn', { language: lg }), <span lang={l} className="pre-line">{service.userInstructions[l]}</span>]);
    if (service.keywords[l]?.length) rows.push([t('fieldKeywordsIn', { language: lg }), <span lang={l}>{service.keywords[l]!.join(', ')}</span>]);
  }
  if (service.chargeType) rows.push([t('fieldChargeType'), t(CHARGE_LABEL[service.chargeType])]);
  if (service.serviceClasses.length) rows.push([t('fieldServiceClasses'), service.serviceClasses.map((c) => `${pick(c.name, lang).text} (${c.code})`).join(', ')]);
  if (service.targetGroups.length) rows.push([t('fieldTargetGroups'), service.targetGroups.map((c) => `${pick(c.name, lang).text} (${c.code})`).join(', ')]);
  if (linked.length)
    rows.push([
      t('sectionChannels'),
      <ul key="ch" className="plain">
        {linked.map((c) => (
          <li key={c.id}>
            <a href={`/${lang}/staff/catalog/units/${c.id}`} lang={c.name.lang !== lang ? c.name.lang : undefined}>
              {c.name.text}
            </a>{' '}
            ({t(KIND_LABEL[c.kind])})
          </li>
        ))}
      </ul>,
    ]);
  return (
    <section aria-labelledby="imported-fields" className="readonly-box">
      <h2 id="imported-fields">{t('importedFieldsTitle')}</h2>
      <dl className="facts">
        {rows.map(([k, v], i) => (
          <div className="contents" key={i}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
