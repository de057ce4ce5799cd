import { randomUUID } from 'node:crypto';
import { useEffect, useMemo, useRef, useState } from 'react';
import { data, Form, redirect, useActionData, useLoaderData } from 'react-router';
import { AppError, errorMessage } from '../../platform/errors.ts';
import { DESCRIPTION_MAX } from '../../modules/feedback/model.ts';
import { followPath } from '../../modules/feedback/notify.ts';
import { publicCategory } from '../../modules/feedback/resident-api.ts';
import { emptyValues, readFiles, readForm, sendForm, type FeedbackFormValues } from '../../modules/feedback/resident-form.ts';
import type { Place } from '../../modules/feedback/places.ts';
import { AddressCombobox } from '../components/AddressCombobox.tsx';
import { CsrfField } from '../components/Csrf.tsx';
import { FeedbackMap } from '../components/FeedbackMap.tsx';
import { translator } from '../i18n/define.ts';
import { feedbackResident } from '../i18n/feedback-resident.ts';
import { pageLang, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';
import type { Lang } from '../../platform/i18n.ts';

type PublicCategory = ReturnType<typeof publicCategory>;

async function pageData(context: LoaderArgs['context'], lang: Lang) {
  const cfg = context.services.config;
  const [cats, center] = await Promise.all([context.services.feedbackCategories.listActive(context.tenant.id), context.services.places.center(context.tenant.id)]);
  return {
    lang,
    categories: cats.map((c) => publicCategory(c, lang)),
    maxFiles: cfg.FEEDBACK_MAX_ATTACHMENTS,
    maxBytes: cfg.FEEDBACK_ATTACHMENT_MAX_BYTES,
    map: {
      tileUrl: cfg.MAP_TILE_URL === 'none' ? null : cfg.MAP_TILE_URL,
      attribution: cfg.MAP_ATTRIBUTION,
      center: center ?? { lat: 60.17, lon: 24.94 },
    },
  };
}

/** The resident's feedback form; every step also works as a plain form post without JavaScript. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const base = await pageData(context, lang);
  const wanted = new URL(request.url).searchParams.get('category') ?? '';
  const category = base.categories.some((c) => c.code === wanted) ? wanted : '';
  const r = context.actor.kind === 'resident' ? context.actor.resident : null;
  const name = r ? [r.givenName, r.familyName].filter(Boolean).join(' ') : '';
  // The idempotency key is made when the form renders: a double click or a resent post carries the same one.
  return data({ ...base, initial: emptyValues(randomUUID(), { name, email: r?.email }, category) }, { headers: { 'cache-control': 'private, no-store' } });
}

interface ActionResult {
  values: FeedbackFormValues;
  errors?: Record<string, string>;
  /** Values for the messages' {…} slots: file name, limits. */
  vars?: Record<string, string | number>;
  message?: string;
  suggestion?: PublicCategory | null;
  suggested?: boolean;
  candidates?: Place[];
  filesLost?: boolean;
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  const form = await request.formData();
  const services = context.services;
  const cats = await services.feedbackCategories.listActive(context.tenant.id);
  const use = form.get('useCategory');
  let chosen = cats.find((c) => c.code === (typeof use === 'string' && use ? use : form.get('category'))) ?? null;
  const values = readForm(form, chosen);
  if (typeof use === 'string' && chosen) values.category = chosen.code;
  const intent = String(form.get('intent') ?? 'send');
  const hadFiles = form.getAll('files').some((f) => typeof f !== 'string' && f.size > 0);
  const reply = (r: ActionResult, status = 200) => data<ActionResult>({ filesLost: hadFiles, ...r }, { status });

  if (typeof use === 'string') return reply({ values });
  if (intent === 'suggest') {
    const hit = await services.feedbackCategories.suggest(context.tenant, values.description, lang);
    return reply({ values, suggestion: hit ? publicCategory(hit, lang) : null, suggested: true });
  }
  if (!chosen) return reply({ values, errors: { category: 'required' } }, intent === 'choose' ? 200 : 400);
  if (intent === 'choose') return reply({ values });

  try {
    const files = await readFiles(form, values.keepLocation);
    const out = await sendForm(services, context.actor, context.tenant, lang, chosen, values, files, {
      ip: context.ip,
      origin: context.origin,
      honeypot: typeof form.get('website') === 'string' ? String(form.get('website')) : '',
    });
    if (out.kind === 'choose_address') return reply({ values, candidates: out.candidates, errors: out.errors }, 400);
    const token = out.result.followToken;
    if (!token) throw new AppError('conflict', 409);
    return redirect(`${followPath(lang, token)}?sent=1`);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const d = (e.details ?? {}) as { fields?: Record<string, string>; filename?: string; maxBytes?: number; max?: number };
    const errors = d.fields && !d.fields._ ? d.fields : undefined;
    return data<ActionResult>(
      {
        values,
        errors,
        vars: { file: d.filename ?? '', max: d.max ?? DESCRIPTION_MAX },
        message: errors ? undefined : errorMessage(e.code, lang),
        filesLost: hadFiles,
      },
      { status: e.status, headers: e.headers },
    );
  }
}

/** A document response carries only the headers a route passes on: keep Retry-After of a 429. */
export function headers({ actionHeaders, loaderHeaders }: { actionHeaders: Headers; loaderHeaders: Headers }): Record<string, string> {
  const out: Record<string, string> = {};
  const retry = actionHeaders.get('retry-after');
  if (retry) out['retry-after'] = retry;
  const cc = loaderHeaders.get('cache-control');
  if (cc) out['cache-control'] = cc;
  return out;
}

const ERROR_ANCHOR: Record<string, string> = {
  category: 'category-first',
  categoryCode: 'category-first',
  description: 'description',
  address: 'address',
  location: 'address',
  lat: 'address',
  lon: 'address',
  contactEmail: 'contactEmail',
  contactPhone: 'contactPhone',
  contactName: 'contactName',
  attachments: 'files',
};

function formatBytes(n: number, lang: Lang) {
  const mb = n / (1024 * 1024);
  return `${new Intl.NumberFormat(lang === 'en' ? 'en-GB' : `${lang}-FI`, { maximumFractionDigits: 1 }).format(mb)} MB`;
}

export default function FeedbackForm() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const { lang, categories, maxFiles, maxBytes, map } = loaded;
  const t = translator(feedbackResident, lang);
  const start = result?.values ?? loaded.initial;
  const [category, setCategory] = useState(start.category);
  const [description, setDescription] = useState(start.description);
  const [address, setAddress] = useState(start.address);
  const [point, setPoint] = useState<{ lat: number; lon: number } | null>(start.lat && start.lon ? { lat: Number(start.lat), lon: Number(start.lon) } : null);
  const [suggestion, setSuggestion] = useState<PublicCategory | null | undefined>(result?.suggested ? (result.suggestion ?? null) : undefined);
  const [enhanced, setEnhanced] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => setEnhanced(true), []);
  useEffect(() => {
    // After a failed post the summary takes focus, so a screen reader hears what to fix.
    if (result?.errors || result?.message) summaryRef.current?.focus();
  }, [result]);

  const cat = categories.find((c) => c.code === category) ?? null;
  const errors = result?.errors ?? {};
  const size = formatBytes(maxBytes, lang);
  const vars = { ...(result?.vars ?? {}), count: maxFiles, size, max: DESCRIPTION_MAX };

  const errorText = (field: string, code: string): string => {
    if (field === 'category' || field === 'categoryCode') return t('err_category');
    if (field === 'description') return code === 'too_long' ? t('err_description_too_long', vars) : code === 'too_many_links' ? t('err_description_too_many_links') : t('err_description_required');
    if (field === 'address' && code === 'ambiguous') return t('err_address_ambiguous');
    if (field === 'address' && code === 'not_found') return t('err_address_not_found');
    if (field === 'location' || ((field === 'lat' || field === 'lon') && code !== 'required')) return t('err_location_required');
    if (field === 'contactEmail') return t('err_email');
    if (field === 'contactPhone') return t('err_phone');
    if (field === 'attachments') {
      const k = `err_attachments_${code}` as const;
      return k in feedbackResident.fi ? t(k as keyof typeof feedbackResident.fi, vars) : t('err_generic');
    }
    const k = `err_${code}`;
    return k in feedbackResident.fi ? t(k as keyof typeof feedbackResident.fi, vars) : t('err_generic');
  };
  const labelOf = (field: string): string => {
    if (field.startsWith('attributes.')) {
      const a = cat?.attributes.find((x) => `attributes.${x.code}` === field);
      return a?.description ?? field;
    }
    const map: Record<string, string> = {
      category: t('categoryLegend'),
      categoryCode: t('categoryLegend'),
      description: t('descriptionLabel'),
      address: t('addressLabel'),
      location: t('locationLegend'),
      lat: t('locationLegend'),
      lon: t('locationLegend'),
      contactEmail: t('contactEmail'),
      contactPhone: t('contactPhone'),
      contactName: t('contactName'),
      attachments: t('attachmentsLegend'),
    };
    return map[field] ?? field;
  };
  const anchorOf = (field: string) => (field.startsWith('attributes.') ? `attr-${field.slice('attributes.'.length)}` : (ERROR_ANCHOR[field] ?? 'description'));
  const fieldError = (...fields: string[]) => {
    const f = fields.find((x) => errors[x]);
    return f ? errorText(f, errors[f]) : null;
  };

  // JavaScript: suggest a category from the description while none is chosen.
  useEffect(() => {
    if (!enhanced || category || description.trim().length < 12) return;
    const abort = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/v1/feedback/suggest?${new URLSearchParams({ q: description.slice(0, 500), lang })}`, { signal: abort.signal });
        if (res.ok) setSuggestion(((await res.json()) as { category: PublicCategory | null }).category);
      } catch {
        // The suggest button still posts to the server.
      }
    }, 600);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [enhanced, description, category, lang]);

  const groups = useMemo(() => {
    const out: { name: string; items: PublicCategory[] }[] = [];
    for (const c of categories) {
      const g = c.group ?? t('otherGroup');
      let grp = out.find((x) => x.name === g);
      if (!grp) out.push((grp = { name: g, items: [] }));
      grp.items.push(c);
    }
    return out;
  }, [categories]);

  const pickPoint = async (p: { lat: number; lon: number }) => {
    setPoint(p);
    try {
      const res = await fetch(`/api/v1/places/reverse?${new URLSearchParams({ lat: String(p.lat), lon: String(p.lon), lang })}`);
      const body = res.ok ? ((await res.json()) as { place: { label: string; detail: string } | null }) : { place: null };
      setAddress(body.place ? [body.place.label, body.place.detail].filter(Boolean).join(', ') : t('pinNoAddress', { lat: p.lat.toFixed(5), lon: p.lon.toFixed(5) }));
    } catch {
      setAddress(t('pinNoAddress', { lat: p.lat.toFixed(5), lon: p.lon.toFixed(5) }));
    }
  };

  const remaining = DESCRIPTION_MAX - description.length;
  const errorFields = Object.keys(errors);
  // Without JavaScript the questions of a category appear after "Continue"; with it, at once.
  const showRest = Boolean(cat);
  const descErr = fieldError('description');
  const addrErr = fieldError('address', 'location', 'lat', 'lon');
  const fileErr = fieldError('attachments');

  return (
    <div className="narrow feedback-form-page">
      <title>{t('formTitle')}</title>
      <h1>{t('formTitle')}</h1>
      <p>{t('formIntro')}</p>

      {(errorFields.length > 0 || result?.message) && (
        <div className="error-summary" role="alert" tabIndex={-1} ref={summaryRef} aria-labelledby="error-summary-title">
          <h2 id="error-summary-title">{t('errorSummary')}</h2>
          {result?.message && <p>{result.message}</p>}
          <ul>
            {errorFields.map((f) => (
              <li key={f}>
                <a href={`#${anchorOf(f)}`}>
                  {labelOf(f)}: {errorText(f, errors[f])}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {result?.filesLost && (errorFields.length > 0 || result?.message) && <p className="notice">{t('filesAgain')}</p>}

      <p className="hint">{t('requiredNote')}</p>
      <Form method="post" encType="multipart/form-data" reloadDocument noValidate className="feedback-form">
        <CsrfField />
        <input type="hidden" name="idempotencyKey" value={start.idempotencyKey} />

        <fieldset className="category-choice" aria-describedby={errors.category ? 'category-error' : undefined}>
          <legend>
            <span className="legend-text">{t('categoryLegend')} *</span>
          </legend>
          {errors.category && (
            <p id="category-error" className="field-error">
              {t('err_category')}
            </p>
          )}
          {groups.map((g, gi) => (
            <fieldset key={g.name} className="category-group">
              <legend>{g.name}</legend>
              {g.items.map((c, i) => (
                <div className="radio" key={c.code}>
                  <input
                    type="radio"
                    id={gi === 0 && i === 0 ? 'category-first' : `category-${c.code}`}
                    name="category"
                    value={c.code}
                    checked={category === c.code}
                    onChange={() => setCategory(c.code)}
                    aria-describedby={c.description ? `category-${c.code}-hint` : undefined}
                  />
                  <label htmlFor={gi === 0 && i === 0 ? 'category-first' : `category-${c.code}`}>{c.name}</label>
                  {c.description && (
                    <p id={`category-${c.code}-hint`} className="hint">
                      {c.description}
                    </p>
                  )}
                </div>
              ))}
            </fieldset>
          ))}
          {!enhanced && !cat && (
            <button type="submit" name="intent" value="choose" className="secondary">
              {t('continue')}
            </button>
          )}
        </fieldset>

        <div className="field">
          <label htmlFor="description">{t('descriptionLabel')} *</label>
          <p id="description-hint" className="hint">
            {t('descriptionHint', { max: DESCRIPTION_MAX })}
          </p>
          {descErr && (
            <p id="description-error" className="field-error">
              {descErr}
            </p>
          )}
          <textarea
            id="description"
            name="description"
            rows={7}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            aria-invalid={descErr ? true : undefined}
            aria-required
            aria-describedby={['description-hint', enhanced ? 'description-count' : '', descErr ? 'description-error' : ''].filter(Boolean).join(' ')}
          />
          {enhanced && (
            <p id="description-count" className={`hint counter${remaining < 0 ? ' over' : ''}`}>
              {remaining >= 0 ? t('charsLeft', { n: remaining }) : t('charsOver', { n: -remaining })}
            </p>
          )}
          {!cat && (
            <div className="suggest">
              <button
                type="submit"
                name="intent"
                value="suggest"
                className="secondary"
                onClick={(e) => {
                  if (!enhanced) return;
                  e.preventDefault();
                  void fetch(`/api/v1/feedback/suggest?${new URLSearchParams({ q: description.slice(0, 500), lang })}`)
                    .then((r) => (r.ok ? r.json() : { category: null }))
                    .then((b: { category: PublicCategory | null }) => setSuggestion(b.category));
                }}
              >
                {t('suggestButton')}
              </button>
              <div role="status" className="suggestion">
                {suggestion ? (
                  <p>
                    {t('suggested', { name: suggestion.name })}{' '}
                    <button
                      type="submit"
                      name="useCategory"
                      value={suggestion.code}
                      onClick={(e) => {
                        if (!enhanced) return;
                        e.preventDefault();
                        setCategory(suggestion.code);
                      }}
                    >
                      {t('useSuggestion')}
                    </button>
                  </p>
                ) : suggestion === null ? (
                  <p>{t('noSuggestion')}</p>
                ) : null}
              </div>
            </div>
          )}
        </div>

        {showRest && cat && cat.attributes.length > 0 && (
          <fieldset className="details">
            <legend>{t('detailsLegend')}</legend>
            {cat.attributes.map((a) => (
              <AttributeField key={a.code} a={a} value={start.attributes[a.code]} error={errors[`attributes.${a.code}`] ? errorText(`attributes.${a.code}`, errors[`attributes.${a.code}`]) : null} />
            ))}
          </fieldset>
        )}

        {showRest && cat && cat.locationMode !== 'none' && (
          <fieldset className="location">
            <legend>
              {t('locationLegend')}
              {cat.locationMode === 'required' ? ' *' : ''}
            </legend>
            <div className="field">
              <label htmlFor="address">{t('addressLabel')}</label>
              <p id="address-hint" className="hint">
                {cat.locationMode === 'required' ? t('locationRequiredHint') : t('locationOptionalHint')} {t('addressHint')}
              </p>
              {addrErr && (
                <p id="address-error" className="field-error">
                  {addrErr}
                </p>
              )}
              <AddressCombobox
                id="address"
                lang={lang}
                value={address}
                invalid={Boolean(addrErr)}
                required={cat.locationMode === 'required'}
                describedBy={['address-hint', addrErr ? 'address-error' : ''].filter(Boolean).join(' ')}
                onChange={(v) => {
                  setAddress(v);
                  setPoint(null);
                }}
                onChoose={(p) => {
                  setAddress([p.label, p.detail].filter(Boolean).join(', '));
                  setPoint({ lat: p.lat, lon: p.lon });
                }}
              />
              <input type="hidden" name="lat" value={point ? String(point.lat) : ''} />
              <input type="hidden" name="lon" value={point ? String(point.lon) : ''} />
              {point && (
                <p className="hint" role="status">
                  {t('addressChosen', { address })}
                </p>
              )}
            </div>
            {result?.candidates && result.candidates.length > 0 && !point && (
              <fieldset className="address-candidates">
                <legend>{t('chooseAddressLegend')}</legend>
                {result.candidates.map((p, i) => (
                  <div className="radio" key={p.id}>
                    {/* Nothing preselected: a resident who types a new address instead must not get the first match. */}
                    <input type="radio" id={`place-${i}`} name="placeId" value={p.id} />
                    <label htmlFor={`place-${i}`}>
                      <span lang={p.labelLang !== lang ? p.labelLang : undefined}>{p.label}</span>
                      {p.detail ? `, ${p.detail}` : ''}
                    </label>
                  </div>
                ))}
              </fieldset>
            )}
            <FeedbackMap label={t('mapLabel')} help={t('mapHelp')} center={point ?? map.center} zoom={16} pin={point} onPick={pickPoint} tileUrl={map.tileUrl} attribution={map.attribution} />
          </fieldset>
        )}

        {showRest && (
          <fieldset className="attachments">
            <legend>{t('attachmentsLegend')}</legend>
            <div className="field">
              <label htmlFor="files">{t('attachmentsLabel')}</label>
              <p id="files-hint" className="hint">
                {t('attachmentsHint', { count: maxFiles, size })}
              </p>
              {fileErr && (
                <p id="files-error" className="field-error">
                  {fileErr}
                </p>
              )}
              <input
                id="files"
                name="files"
                type="file"
                multiple
                accept="image/jpeg,image/png,image/webp,image/gif,application/pdf"
                aria-invalid={fileErr ? true : undefined}
                aria-describedby={['files-hint', fileErr ? 'files-error' : ''].filter(Boolean).join(' ')}
              />
            </div>
            <div className="checkbox">
              <input type="checkbox" id="keepLocation" name="keepLocation" defaultChecked={start.keepLocation} aria-describedby="keepLocation-hint" />
              <label htmlFor="keepLocation">{t('keepLocation')}</label>
              <p id="keepLocation-hint" className="hint">
                {t('keepLocationHint')}
              </p>
            </div>
          </fieldset>
        )}

        {showRest && (
          <fieldset className="contact">
            <legend>{t('contactLegend')}</legend>
            <p className="hint">{t('contactHint')}</p>
            <TextField id="contactName" label={t('contactName')} value={start.contactName} autoComplete="name" error={fieldError('contactName')} />
            <TextField id="contactEmail" label={t('contactEmail')} value={start.contactEmail} autoComplete="email" type="email" error={fieldError('contactEmail')} />
            <TextField id="contactPhone" label={t('contactPhone')} value={start.contactPhone} autoComplete="tel" type="tel" error={fieldError('contactPhone')} />
          </fieldset>
        )}

        {/* Honeypot: hidden from people and assistive technology; bots fill every field. */}
        <div className="hp-field" aria-hidden="true">
          <label htmlFor="website">{t('honeypot')}</label>
          <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
        </div>

        {showRest && (
          <>
            <p className="hint">
              {t('privacyNote')} <a href={`/${lang}/privacy`}>{t('privacyLink')}</a>
            </p>
            <button type="submit" name="intent" value="send" className="button-large">
              {t('send')}
            </button>
          </>
        )}
      </Form>
    </div>
  );
}

function TextField({ id, label, value, autoComplete, type = 'text', error }: { id: string; label: string; value: string; autoComplete: string; type?: string; error: string | null }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      <input
        id={id}
        name={id}
        type={type}
        defaultValue={value}
        autoComplete={autoComplete}
        maxLength={254}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
    </div>
  );
}

function AttributeField({ a, value, error }: { a: PublicCategory['attributes'][number]; value: string | string[] | undefined; error: string | null }) {
  const id = `attr-${a.code}`;
  const name = `attr.${a.code}`;
  const label = `${a.description}${a.required ? ' *' : ''}`;
  const errP = error && (
    <p id={`${id}-error`} className="field-error">
      {error}
    </p>
  );
  const describedBy = error ? `${id}-error` : undefined;
  const single = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  if (a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist') {
    const multi = a.datatype === 'multivaluelist';
    const chosen = new Set(Array.isArray(value) ? value : value ? [value] : []);
    return (
      <fieldset className="field choice" id={id} tabIndex={-1} aria-describedby={describedBy}>
        <legend>{label}</legend>
        {errP}
        {a.values.map((v) => (
          <div className={multi ? 'checkbox' : 'radio'} key={v.key}>
            <input type={multi ? 'checkbox' : 'radio'} id={`${id}-${v.key}`} name={name} value={v.key} defaultChecked={chosen.has(v.key)} />
            <label htmlFor={`${id}-${v.key}`}>{v.name}</label>
          </div>
        ))}
      </fieldset>
    );
  }
  const common = {
    id,
    name,
    defaultValue: single,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    'aria-required': a.required || undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {errP}
      {a.datatype === 'text' ? (
        <textarea rows={4} maxLength={2000} {...common} />
      ) : a.datatype === 'number' ? (
        <input type="text" inputMode="decimal" maxLength={20} {...common} />
      ) : a.datatype === 'datetime' ? (
        <input type="datetime-local" {...common} />
      ) : (
        <input type="text" maxLength={200} {...common} />
      )}
    </div>
  );
}
