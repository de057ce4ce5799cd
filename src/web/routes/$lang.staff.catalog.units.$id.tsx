import type { ReactNode } from 'react';
import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import type { Channel, ServiceHours, Weekday } from '../../modules/catalog/model.ts';
import { AppError, isAppError } from '../../platform/errors.ts';
import { LANGUAGES, pick, type Lang } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { useRoot } from '../root.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { WeeklyHoursTable } from '../staff/WeeklyHoursTable.tsx';
import { fieldId } from '../staff/admin-page.ts';
import { unitOptionLabel } from '../staff/admin-ui.tsx';
import {
  editAction,
  editorForm,
  EditorHead,
  Field,
  FormProblem,
  formValues,
  KIND_LABEL,
  langName,
  localizedFrom,
  Notice,
  noticeFrom,
  requireEditorPage,
  StatusBadge,
  str,
  useCatalogText,
  type EditResult,
  type T,
} from '../staff/catalog-edit-ui.tsx';
import { runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/**
 * One unit (service location) or other service channel: create (/catalog/units/new) or
 * edit. Opening hours: a weekly grid (one opening per day) plus rows of exceptional days
 * (closed, or other hours). A channel imported from PTV is read-only here except for its
 * link to a platform org unit.
 */
const DAYS: Weekday[] = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const EXTRA_EXCEPTION_ROWS = 2;
const PHONE_ROWS = 3;

export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireEditorPage(context, request, params);
  const { catalogEdit, orgUnits } = context.services;
  return runLoader(async () => {
    const channel = params.id === 'new' ? null : await catalogEdit.getChannel(context.actor, context.tenant.id, params.id ?? '');
    const units = await orgUnits.rows(context.tenant.id, lang);
    return {
      lang,
      channel,
      units: units.map((u) => ({ id: u.id, depth: u.depth, name: pick(u.names, lang).text })),
      notice: noticeFrom(request, ['channelSaved', 'channelCreated']),
    };
  });
}

/** The weekly grid is the first regular entry without a validity period; others are kept as they are. */
function splitHours(hours: ServiceHours[]) {
  const weeklyIndex = hours.findIndex((h) => h.type === 'regular' && !h.validFrom && !h.validTo);
  const weekly = weeklyIndex >= 0 ? hours[weeklyIndex] : null;
  const exceptional = hours.filter((h) => h.type === 'exceptional');
  const other = hours.filter((h, i) => h.type === 'regular' && i !== weeklyIndex);
  const perDay: Partial<Record<Weekday, { from: string; to: string }>> = {};
  for (const row of weekly?.hours ?? []) {
    const from = DAYS.indexOf(row.dayFrom);
    const to = row.dayTo ? DAYS.indexOf(row.dayTo) : from;
    for (let d = from; d <= to && d >= 0; d++) perDay[DAYS[d]] ??= { from: row.from, to: row.to };
  }
  return { perDay, exceptional, other, weeklyInfo: weekly?.info ?? {} };
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
    if (intent === 'orgUnit') {
      await catalogEdit.updateChannel(actor, tenant.id, params.id ?? '', { updatedAt: str(form, 'updatedAt'), orgUnitId: str(form, 'orgUnitId') || null }, { ip });
      return redirect(`/${lang}/staff/catalog/units/${params.id}?notice=channelSaved`);
    }
    if (intent !== 'create' && intent !== 'save') throw new AppError('validation_failed', 400, { fields: { intent: 'invalid_type' } });
    const current = isNew ? null : await catalogEdit.getChannel(actor, tenant.id, params.id ?? '');
    // Form field name of each service error path, so errors land next to the right input.
    const pathMap: Record<string, string> = {};
    const weeklyRows = DAYS.flatMap((d) => {
      const from = str(form, `hours.${d}.from`).trim();
      const to = str(form, `hours.${d}.to`).trim();
      return from || to ? [{ dayFrom: d, dayTo: null, from, to }] : [];
    });
    weeklyRows.forEach((r, j) => {
      pathMap[`serviceHours.0.hours.${j}.from`] = `hours.${r.dayFrom}.from`;
      pathMap[`serviceHours.0.hours.${j}.to`] = `hours.${r.dayFrom}.to`;
    });
    const hours: unknown[] = [{ type: 'regular', validFrom: null, validTo: null, isClosed: false, hours: weeklyRows, info: {} }];
    const rowCount = Number(str(form, 'exceptionRows')) || 0;
    for (let i = 0; i < Math.min(rowCount, 100); i++) {
      const p = `ex.${i}`;
      const validFrom = str(form, `${p}.validFrom`);
      const validTo = str(form, `${p}.validTo`);
      const closed = str(form, `${p}.closed`) === 'on';
      const from = str(form, `${p}.from`).trim();
      const to = str(form, `${p}.to`).trim();
      const info = str(form, `${p}.info`).trim();
      if (!validFrom && !validTo && !from && !to && !info) continue;
      const n = hours.length;
      for (const f of ['validFrom', 'validTo', 'hours']) pathMap[`serviceHours.${n}.${f}`] = `${p}.${f === 'hours' ? 'from' : f}`;
      pathMap[`serviceHours.${n}.hours.0.from`] = `${p}.from`;
      pathMap[`serviceHours.${n}.hours.0.to`] = `${p}.to`;
      // The day of week is irrelevant for a dated exception; PTV still wants one.
      hours.push({
        type: 'exceptional',
        validFrom: validFrom || null,
        validTo: validTo || null,
        isClosed: closed,
        hours: closed || (!from && !to) ? [] : [{ dayFrom: 'Monday', dayTo: 'Sunday', from, to }],
        info: info ? { [tenant.defaultLanguage]: info } : {},
      });
    }
    if (current) hours.push(...splitHours(current.serviceHours).other);
    const phones = [];
    for (let i = 0; i < PHONE_ROWS; i++) {
      const number = str(form, `phones.${i}.number`).trim();
      if (!number) continue;
      pathMap[`phones.${phones.length}.number`] = `phones.${i}.number`;
      phones.push({ number, lang: null, chargeType: null, chargeDescription: null });
    }
    const num = (name: string) => {
      const v = str(form, name).trim().replace(',', '.');
      return v === '' ? null : Number(v);
    };
    const street = localizedFrom(form, 'address.street');
    const postOffice = localizedFrom(form, 'address.postOffice');
    const body = {
      kind: isNew ? str(form, 'kind') : (current?.kind ?? str(form, 'kind')),
      status: str(form, 'status'),
      names: localizedFrom(form, 'names'),
      summary: localizedFrom(form, 'summary'),
      description: localizedFrom(form, 'description'),
      address: { street, streetNumber: str(form, 'address.streetNumber'), postalCode: str(form, 'address.postalCode').trim() || null, postOffice },
      latitude: num('latitude'),
      longitude: num('longitude'),
      phones,
      email: str(form, 'email').trim() || null,
      urls: localizedFrom(form, 'urls'),
      serviceHours: hours,
      orgUnitId: str(form, 'orgUnitId') || null,
    };
    try {
      if (isNew) {
        const c = await catalogEdit.createChannel(actor, tenant.id, body, { ip });
        return redirect(`/${lang}/staff/catalog/units/${c.id}?notice=channelCreated`);
      }
      await catalogEdit.updateChannel(actor, tenant.id, params.id ?? '', { ...body, updatedAt: str(form, 'updatedAt') }, { ip });
      return redirect(`/${lang}/staff/catalog/units/${params.id}?notice=channelSaved`);
    } catch (e) {
      const fields = isAppError(e) ? (e.details?.fields as Record<string, string> | undefined) : undefined;
      if (fields) {
        for (const [k, v] of Object.entries({ ...fields })) {
          const mapped = Object.entries(pathMap).find(([path]) => k === path || k.startsWith(`${path}.`));
          if (mapped) {
            delete fields[k];
            fields[mapped[1]] = v;
          }
        }
      }
      throw e;
    }
  });
}

export default function UnitEditor() {
  const { lang, channel, units, notice } = useLoaderData<typeof loader>();
  const result = useActionData() as EditResult | undefined;
  const { tenant } = useRoot();
  const t = useCatalogText();
  const failure = result && !result.ok ? result : undefined;
  const submitted = failure?.values;
  const fields = failure?.fields;
  const { err, value } = editorForm(t, fields, submitted);
  const title = channel ? pick(channel.names, lang) : { text: t('newChannel'), lang };
  const updatedAt = failure?.updatedAt ?? channel?.updatedAt ?? '';
  const imported = !!channel?.externalId;
  const langs = LANGUAGES.filter((l) => (tenant.languages as Lang[]).includes(l) || !!channel?.names[l]);
  const split = splitHours(channel?.serviceHours ?? []);
  const exceptionRows = (submitted ? Number(submitted.exceptionRows) || 0 : split.exceptional.length + EXTRA_EXCEPTION_ROWS) || EXTRA_EXCEPTION_ROWS;
  const def = tenant.defaultLanguage as Lang;

  const input = (name: string, label: string, stored: string | number | null | undefined, opts: { l?: Lang; type?: string; hint?: string; rows?: number } = {}) => (
    <Field name={name} label={label} hint={opts.hint} error={err(name)} wide={!!opts.rows} t={t}>
      {(aria) =>
        opts.rows ? (
          <textarea {...aria} lang={opts.l} rows={opts.rows} defaultValue={value(name, stored)} />
        ) : (
          <input {...aria} type={opts.type ?? 'text'} lang={opts.l} defaultValue={value(name, stored)} autoComplete="off" />
        )
      }
    </Field>
  );

  const orgUnitField = (
    <Field name="orgUnitId" label={t('fieldOrgUnit')} hint={t('orgUnitHint')} error={err('orgUnitId')} t={t}>
      {(aria) => (
        <select {...aria} defaultValue={value('orgUnitId', channel?.orgUnitId)}>
          <option value="">{t('orgUnitNone')}</option>
          {units.map((u) => (
            <option key={u.id} value={u.id}>
              {unitOptionLabel(u.depth, u.name)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  return (
    <>
      <EditorHead lang={lang} t={t} list="unitsTitle" listHref={`/${lang}/staff/catalog/units`} title={title} />
      {channel && (
        <p>
          <StatusBadge status={channel.status} t={t} /> <span className="badge">{t(KIND_LABEL[channel.kind])}</span>{' '}
          <span className="badge">{imported ? 'PTV' : t('sourceLocal')}</span>
        </p>
      )}
      {notice && !result && <Notice>{t(notice)}</Notice>}
      <FormProblem result={failure} t={t} savedHref={channel ? `/${lang}/staff/catalog/units/${channel.id}` : undefined} />

      {imported && channel ? (
        <>
          <div className="info">
            <p>{t('importedNote')}</p>
          </div>
          <section aria-labelledby="org-unit">
            <h2 id="org-unit">{t('sectionOrgUnit')}</h2>
            <Form method="post" reloadDocument noValidate aria-labelledby="org-unit">
              <CsrfField />
              <input type="hidden" name="intent" value="orgUnit" />
              <input type="hidden" name="updatedAt" value={updatedAt} />
              {orgUnitField}
              <button type="submit">{t('saveOrgUnit')}</button>
            </Form>
          </section>
          <ImportedChannel channel={channel} langs={langs} lang={lang} t={t} />
        </>
      ) : (
        <Form method="post" reloadDocument noValidate aria-label={channel ? t('saveChannel') : t('createChannel')}>
          <CsrfField />
          {channel && <input type="hidden" name="updatedAt" value={updatedAt} />}
          <input type="hidden" name="exceptionRows" value={exceptionRows} />
          <h2>{t('sectionBasics')}</h2>
          {!channel && (
            <Field name="kind" label={t('fieldKind')} error={err('kind')} t={t}>
              {(aria) => (
                <select {...aria} defaultValue={value('kind', 'service_location')}>
                  {(Object.keys(KIND_LABEL) as (keyof typeof KIND_LABEL)[]).map((k) => (
                    <option key={k} value={k}>
                      {t(KIND_LABEL[k])}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <Field name="status" label={t('fieldStatus')} hint={t('fieldStatusHint')} error={err('status')} t={t}>
            {(aria) => (
              <select {...aria} defaultValue={value('status', channel?.status ?? 'draft')}>
                <option value="draft">{t('statusDraft')}</option>
                <option value="published">{t('statusPublished')}</option>
                <option value="archived">{t('statusArchived')}</option>
              </select>
            )}
          </Field>
          {langs.map((l) => (
            <fieldset key={l}>
              <legend className="lang-legend">{langName(t, l)}</legend>
              {input(`names.${l}`, t('fieldNameIn', { language: langName(t, l) }), channel?.names[l], { l })}
              {input(`summary.${l}`, t('fieldSummaryIn', { language: langName(t, l) }), channel?.summary[l], { l, rows: 3 })}
              {input(`description.${l}`, t('fieldDescriptionIn', { language: langName(t, l) }), channel?.description[l], { l, rows: 6 })}
            </fieldset>
          ))}

          <h2>{t('sectionAddress')}</h2>
          {langs.map((l) => (
            <div key={l}>{input(`address.street.${l}`, t('fieldStreetIn', { language: langName(t, l) }), channel?.address?.street[l], { l })}</div>
          ))}
          {input('address.streetNumber', t('fieldStreetNumber'), channel?.address?.streetNumber)}
          {input('address.postalCode', t('fieldPostalCode'), channel?.address?.postalCode)}
          {langs.map((l) => (
            <div key={l}>{input(`address.postOffice.${l}`, t('fieldPostOfficeIn', { language: langName(t, l) }), channel?.address?.postOffice[l], { l })}</div>
          ))}
          {input('latitude', t('fieldLatitude'), channel?.latitude, { hint: t('coordinatesHint') })}
          {input('longitude', t('fieldLongitude'), channel?.longitude)}

          <h2>{t('sectionContact')}</h2>
          {Array.from({ length: PHONE_ROWS }, (_, i) => (
            <div key={i}>{input(`phones.${i}.number`, t('fieldPhone', { n: i + 1 }), channel?.phones[i]?.number, { type: 'tel', hint: i === 0 ? t('phoneHint') : undefined })}</div>
          ))}
          {input('email', t('fieldEmail'), channel?.email, { type: 'email' })}
          {langs.map((l) => (
            <div key={l}>{input(`urls.${l}`, t('fieldUrlIn', { language: langName(t, l) }), channel?.urls[l], { type: 'url' })}</div>
          ))}

          <h2>{t('sectionHours')}</h2>
          <h3 id="weekly-hours">{t('weeklyHours')}</h3>
          <p className="hint" id="weekly-hours-hint">
            {t('weeklyHoursHint')}
          </p>
          <WeeklyHoursTable
            label={t('weeklyHours')}
            className="hours-table"
            titleId="weekly-hours"
            hintId="weekly-hours-hint"
            prefix="hours"
            days={DAYS}
            columns={{ day: t('colDay'), opens: t('colOpens'), closes: t('colCloses') }}
            dayName={(d) => t(d)}
            inputLabel={(k, d) => t(k === 'from' ? 'opensOn' : 'closesOn', { day: t(d) })}
            value={(d, k) => value(`hours.${d}.${k}`, split.perDay[d]?.[k])}
            error={err}
          />
          {split.other.length > 0 && <p className="info">{t('otherHoursKept', { count: split.other.length })}</p>}

          <h3>{t('exceptionalHours')}</h3>
          <p className="hint">{t('exceptionalHint')}</p>
          {Array.from({ length: exceptionRows }, (_, i) => {
            const ex = split.exceptional[i];
            const p = `ex.${i}`;
            const closedStored = ex ? ex.isClosed : false;
            const closed = submitted ? submitted[`${p}.closed`] === 'on' : closedStored;
            return (
              <fieldset key={i} className="exception-row">
                <legend>{t('exceptionN', { n: i + 1 })}</legend>
                <div className="toolbar">
                  {input(`${p}.validFrom`, t('fieldDateFrom'), ex?.validFrom, { type: 'date' })}
                  {input(`${p}.validTo`, t('fieldDateTo'), ex?.validTo && ex.validTo !== ex.validFrom ? ex.validTo : '', { type: 'date' })}
                </div>
                <div className="checkbox">
                  <input type="checkbox" id={fieldId(`${p}.closed`)} name={`${p}.closed`} defaultChecked={closed} />
                  <label htmlFor={fieldId(`${p}.closed`)}>{t('fieldClosed')}</label>
                </div>
                <div className="toolbar">
                  {input(`${p}.from`, t('fieldFrom'), ex?.hours[0]?.from)}
                  {input(`${p}.to`, t('fieldTo'), ex?.hours[0]?.to)}
                </div>
                {input(`${p}.info`, t('fieldInfo'), ex ? pick(ex.info, def).text : '', { l: def })}
              </fieldset>
            );
          })}

          <h2>{t('sectionOrgUnit')}</h2>
          {orgUnitField}
          <p className="button-row">
            <button type="submit">{channel ? t('saveChannel') : t('createChannel')}</button>
          </p>
        </Form>
      )}
    </>
  );
}

/** An imported channel's PTV fields, read-only. */
function ImportedChannel({ channel, langs, lang, t }: { channel: Channel; langs: Lang[]; lang: Lang; t: T }) {
  const rows: [string, ReactNode][] = [[t('ptvId'), <code>{channel.externalId}</code>]];
  for (const l of langs) {
    const lg = langName(t, l);
    if (channel.names[l]) rows.push([t('fieldNameIn', { language: lg }), <span lang={l}>{channel.names[l]}</span>]);
    if (channel.summary[l]) rows.push([t('fieldSummaryIn', { language: lg }), <span lang={l}>{channel.summary[l]}</span>]);
    if (channel.address?.street[l]) {
      rows.push([
        t('fieldStreetIn', { language: lg }),
        <span lang={l}>{[channel.address.street[l], channel.address.streetNumber, channel.address.postalCode, channel.address.postOffice[l]].filter(Boolean).join(' ')}</span>,
      ]);
    }
    if (channel.urls[l]) rows.push([t('fieldUrlIn', { language: lg }), channel.urls[l]]);
  }
  if (channel.latitude !== null) rows.push([`${t('fieldLatitude')}, ${t('fieldLongitude')}`, `${channel.latitude}, ${channel.longitude}`]);
  channel.phones.forEach((p, i) => rows.push([t('fieldPhone', { n: i + 1 }), p.number]));
  if (channel.email) rows.push([t('fieldEmail'), channel.email]);
  const split = splitHours(channel.serviceHours);
  const days = DAYS.filter((d) => split.perDay[d]);
  if (days.length) rows.push([t('weeklyHours'), days.map((d) => `${t(d)} ${split.perDay[d]!.from}–${split.perDay[d]!.to}`).join(', ')]);
  for (const ex of split.exceptional) {
    rows.push([
      t('exceptionalHours'),
      `${ex.validFrom ?? ''}${ex.validTo && ex.validTo !== ex.validFrom ? `–${ex.validTo}` : ''}: ${ex.isClosed ? t('fieldClosed') : ex.hours.map((h) => `${h.from}–${h.to}`).join(', ')} ${pick(ex.info, lang).text}`,
    ]);
  }
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
