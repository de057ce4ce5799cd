import { useEffect, useState } from 'react';
import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { sanitizeRichText } from '../../modules/catalog/sanitize.ts';
import { isNewsPublisher } from '../../modules/newsroom/items.ts';
import { dueAt, itemPath, toLocalInput, type NewsMedia, type NewsState } from '../../modules/newsroom/model.ts';
import { AppError } from '../../platform/errors.ts';
import { LANGUAGES, pick, type Lang, type Localized } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { TableWrap } from '../components/TableWrap.tsx';
import { runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { formValues, fieldId } from '../staff/admin-page.ts';
import { Breadcrumbs, Field, Notice, RichTextArea, StaleAlert, strs, useCatalogText, when } from '../staff/catalog-edit-ui.tsx';
import {
  errText,
  kindName,
  LANG_KEY,
  LocalText,
  newsAction,
  NewsStateBadge,
  requireNewsPage,
  stateName,
  useNewsText,
  type NewsFailure,
  type NT,
} from '../staff/news-ui.tsx';
import { newsStaff, type NewsStaffKey } from '../i18n/news-staff.ts';

/**
 * The newsroom editor of one item: texts per tenant language (the body a plain textarea of
 * the allowed HTML, with a toolbar once scripts run), classification, audience, event and
 * publishing times in Helsinki time, images and attachments, the workflow buttons this
 * person may use in this state, comments and the version history. Every part is its own
 * plain form posting back here (intent=…), then redirecting, so it all works without
 * JavaScript. The services decide; this page only offers what they would allow.
 */

const NOTICES = ['saved', 'created', 'media_added', 'media_saved', 'media_removed', 'moved', 'commented'] as const;
type NoticeName = (typeof NOTICES)[number];
const NOTICE_KEY: Record<NoticeName, NewsStaffKey> = {
  saved: 'saved',
  created: 'created',
  media_added: 'mediaAdded',
  media_saved: 'mediaSaved',
  media_removed: 'mediaRemoved',
  moved: 'moved',
  commented: 'commentAdded',
};

/** Snapshot fields holding text per language: a change is reported per language. */
const LOCALIZED_FIELDS = new Set(['title', 'lead', 'body', 'eventLocation']);

/** What differs between two version snapshots: field names, localized ones with their language. */
function changesBetween(newer: Record<string, unknown>, older: Record<string, unknown>): { field: string; lang?: Lang }[] {
  const out: { field: string; lang?: Lang }[] = [];
  for (const key of new Set([...Object.keys(newer), ...Object.keys(older)])) {
    if (LOCALIZED_FIELDS.has(key)) {
      const a = (newer[key] ?? {}) as Localized;
      const b = (older[key] ?? {}) as Localized;
      for (const l of LANGUAGES) if ((a[l] ?? '') !== (b[l] ?? '')) out.push({ field: key, lang: l });
    } else if (JSON.stringify(newer[key] ?? null) !== JSON.stringify(older[key] ?? null)) out.push({ field: key });
  }
  return out;
}

export async function loader({ context, params, request }: LoaderArgs) {
  const { lang, user } = requireNewsPage(context, request, params);
  const s = context.services;
  const tenantId = context.tenant.id;
  const url = new URL(request.url);
  return runLoader(async () => {
    const item = await s.newsroom.staffGet(context.actor, tenantId, params.id ?? '');
    const [comments, versions, topics, units, services] = await Promise.all([
      s.newsroom.comments(context.actor, tenantId, item.id),
      s.newsroom.versions(context.actor, tenantId, item.id),
      s.newsroom.topics(tenantId),
      s.orgUnits.rows(tenantId, lang),
      s.db.query<{ id: string; names: Localized }>(
        `select id, names from catalog_services where tenant_id = $1 and (status = 'published' or id = any($2::uuid[]))
         order by coalesce(names->>'${lang}', names->>'fi', names->>'sv', names->>'en') limit 2000`,
        [tenantId, item.serviceIds],
      ),
    ]);
    const shownId = url.searchParams.get('version');
    const shown = shownId ? versions.find((v) => v.id === shownId) : undefined;
    const notice = url.searchParams.get('notice');
    return {
      lang,
      languages: context.tenant.languages,
      isPublisher: isNewsPublisher(user),
      notice: (NOTICES as readonly string[]).includes(notice ?? '') ? (notice as NoticeName) : null,
      item: {
        ...item,
        local: {
          embargoUntil: toLocalInput(item.embargoUntil),
          scheduledAt: toLocalInput(item.scheduledAt),
          eventStartsAt: toLocalInput(item.eventStartsAt),
          eventEndsAt: toLocalInput(item.eventEndsAt),
        },
        due: dueAt(item),
      },
      comments,
      versions: versions.map((v, i) => ({
        id: v.id,
        version: v.version,
        action: v.action,
        state: v.state,
        note: v.note,
        who: v.changedByName,
        changedAt: v.changedAt,
        changes: versions[i + 1] ? changesBetween(v.snapshot, versions[i + 1].snapshot) : null,
      })),
      shown: shown && {
        id: shown.id,
        version: shown.version,
        changedAt: shown.changedAt,
        title: (shown.snapshot.title ?? {}) as Localized,
        lead: (shown.snapshot.lead ?? {}) as Localized,
        body: Object.fromEntries(Object.entries((shown.snapshot.body ?? {}) as Localized).map(([l, html]) => [l, sanitizeRichText(html ?? '')])) as Localized,
      },
      topics: topics.map((x) => ({ slug: x.slug, name: pick(x.names, lang) })),
      units: units.map((u) => ({ id: u.id, name: pick(u.names, lang), depth: u.depth })),
      services: services.rows.map((x) => ({ id: x.id, name: pick(x.names, lang) })),
    };
  });
}

const localizedFrom = (form: FormData, prefix: string, languages: readonly Lang[]) => {
  const out: Partial<Record<Lang, string>> = {};
  for (const l of languages) {
    const v = form.get(`${prefix}.${l}`);
    if (typeof v === 'string') out[l] = v;
  }
  return out;
};

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireNewsPage(context, request, params);
  const news = context.services.newsroom;
  const tenantId = context.tenant.id;
  const id = params.id ?? '';
  const form = await request.formData();
  const values = formValues(form);
  const intent = text(form, 'intent');
  const ctx = { ip: context.ip };
  const back = (notice: NoticeName, anchor = '') => redirect(`/${lang}/staff/news/${id}?notice=${notice}${anchor}`);
  const languages = context.tenant.languages;

  return newsAction(
    lang,
    intent,
    values,
    async () => {
      const item = await news.staffGet(context.actor, tenantId, id);
      const ownMedia = (mediaId: string) => {
        if (![...item.images, ...item.attachments].some((m) => m.id === mediaId)) throw new AppError('not_found', 404);
        return mediaId;
      };
      // The form has the tenant's languages only; a text in another one (written through
      // the API) must survive a save from this page, since the service replaces the whole object.
      const keepOthers = (stored: Localized, typed: Localized): Localized => {
        const out: Localized = { ...typed };
        for (const l of LANGUAGES) if (!languages.includes(l) && stored[l]) out[l] = stored[l];
        return out;
      };
      const mediaAnchor = (mediaId: string) => (item.images.some((m) => m.id === mediaId) ? '#images' : '#attachments');
      const mediaMeta = () => ({
        alt: localizedFrom(form, 'alt', languages),
        caption: localizedFrom(form, 'caption', languages),
        credit: text(form, 'credit'),
        license: text(form, 'license'),
        inImageBank: form.get('inImageBank') === '1',
      });
      switch (intent) {
        case 'save': {
          const body: Record<string, unknown> = {
            updatedAt: text(form, 'updatedAt'),
            title: keepOthers(item.title, localizedFrom(form, 'title', languages)),
            lead: keepOthers(item.lead, localizedFrom(form, 'lead', languages)),
            body: keepOthers(item.body, localizedFrom(form, 'body', languages)),
            topics: strs(form, 'topics'),
            tags: text(form, 'tags')
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
            serviceIds: strs(form, 'serviceIds'),
          };
          if (item.kind === 'news' || item.kind === 'event') body.audience = text(form, 'audience') || item.audience;
          if (item.kind !== 'press_release') {
            body.audienceUnitIds = strs(form, 'audienceUnitIds');
            body.mustRead = form.get('mustRead') === '1';
          }
          // A moment goes to the service only when changed: the form shows minutes, and
          // resending an unchanged value of a published item must not trip its rules.
          const moment = (name: 'embargoUntil' | 'scheduledAt' | 'eventStartsAt' | 'eventEndsAt') => {
            const v = text(form, name).trim();
            if (v !== toLocalInput(item[name])) body[name] = v;
          };
          if (item.kind === 'event') {
            moment('eventStartsAt');
            moment('eventEndsAt');
            body.eventLocation = keepOthers(item.eventLocation, localizedFrom(form, 'eventLocation', languages));
          }
          if (item.kind === 'press_release') moment('embargoUntil');
          moment('scheduledAt');
          await news.update(context.actor, tenantId, id, body, ctx);
          return back('saved');
        }
        case 'transition': {
          const chosen = text(form, 'action');
          const publish = chosen === 'approve_publish';
          const note = text(form, 'note').trim();
          await news.transition(context.actor, tenantId, id, { action: publish ? 'approve' : chosen, ...(note ? { note } : {}), ...(publish ? { publish } : {}) }, ctx);
          return back('moved', '#workflow');
        }
        case 'comment':
          await news.addComment(context.actor, tenantId, id, { body: text(form, 'body') }, ctx);
          return back('commented', '#comments');
        case 'upload': {
          const kind = text(form, 'kind') === 'attachment' ? 'attachment' : 'image';
          const file = form.get('file');
          if (!file || typeof file === 'string' || file.size === 0) throw new AppError('validation_failed', 400, { fields: { file: 'required' } });
          await news.addMedia(context.actor, tenantId, { itemId: id, kind, filename: file.name, data: new Uint8Array(await file.arrayBuffer()), meta: mediaMeta() }, ctx);
          return back('media_added', kind === 'image' ? '#images' : '#attachments');
        }
        case 'media_update': {
          const mediaId = ownMedia(text(form, 'mediaId'));
          await news.updateMedia(context.actor, tenantId, mediaId, mediaMeta(), ctx);
          return back('media_saved', mediaAnchor(mediaId));
        }
        case 'media_remove': {
          const mediaId = ownMedia(text(form, 'mediaId'));
          const anchor = mediaAnchor(mediaId);
          await news.removeMedia(context.actor, tenantId, mediaId, ctx);
          return back('media_removed', anchor);
        }
        default:
          throw new AppError('validation_failed', 400, { fields: { intent: 'invalid' } });
      }
    },
    text(form, 'mediaId') || text(form, 'kind') || undefined,
  );
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function NewsEditor() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData() as NewsFailure | undefined;
  const t = useNewsText();
  const { lang, item } = d;
  const title = pick(item.title, lang);
  const heading = title.text || kindName(t, item.kind);
  const readOnly = item.state === 'scheduled' || item.state === 'archived';
  return (
    <>
      <title>{`${heading} – ${t('listTitle')}`}</title>
      <Breadcrumbs
        t={t}
        items={[
          { href: `/${lang}/staff`, label: t('consoleHome') },
          { href: `/${lang}/staff/news`, label: t('listTitle') },
          { label: <span lang={title.lang !== lang ? title.lang : undefined}>{heading}</span> },
        ]}
      />
      <h1 lang={title.lang !== lang ? title.lang : undefined}>{heading}</h1>
      <p className="news-meta">
        {kindName(t, item.kind)} · <NewsStateBadge state={item.state} t={t} />
      </p>
      {d.notice && !failure && <Notice>{t(NOTICE_KEY[d.notice], { state: stateName(t, item.state) })}</Notice>}
      {failure && <Problem failure={failure} t={t} lang={lang} id={item.id} />}
      <ItemLinks d={d} t={t} />
      <Workflow d={d} t={t} failure={failure?.intent === 'transition' ? failure : undefined} />
      {readOnly && <p className="notice">{t('readOnlyNote', { state: stateName(t, item.state) })}</p>}
      <EditForm d={d} t={t} readOnly={readOnly} failure={failure?.intent === 'save' ? failure : undefined} />
      <MediaSection d={d} t={t} kind="image" failure={failure} readOnly={item.state === 'archived'} />
      <MediaSection d={d} t={t} kind="attachment" failure={failure} readOnly={item.state === 'archived'} />
      <Comments d={d} t={t} failure={failure?.intent === 'comment' ? failure : undefined} />
      <History d={d} t={t} />
    </>
  );
}

function Problem({ failure, t, lang, id }: { failure: NewsFailure; t: NT; lang: Lang; id: string }) {
  if (failure.reason === 'changed_meanwhile') {
    return (
      <StaleAlert title={t('staleTitle')} text={t('staleText')}>
        <p>
          <a href={`/${lang}/staff/news/${id}`}>{t('reload')}</a>
        </p>
      </StaleAlert>
    );
  }
  return (
    <div className="alert" role="alert">
      <p>{failure.message}</p>
    </div>
  );
}

function ItemLinks({ d, t }: { d: Data; t: NT }) {
  const { item, lang } = d;
  const links: { href: string; label: string }[] = [];
  if (item.state === 'published' && item.audience === 'public' && item.languages.length) {
    links.push({ href: itemPath(item.languages.includes(lang) ? lang : item.languages[0], item), label: t('previewLink') });
  }
  if (item.state === 'scheduled' || item.state === 'published' || item.state === 'archived') {
    links.push({ href: `/${lang}/staff/news/${item.id}/deliveries`, label: t('deliveriesLink') });
  }
  if (item.audience === 'staff' && item.mustRead) links.push({ href: `/${lang}/staff/news/${item.id}/readers`, label: t('readersLink') });
  if (!links.length) return null;
  return (
    <ul className="news-links">
      {links.map((l) => (
        <li key={l.href}>
          <a href={l.href}>{l.label}</a>
        </li>
      ))}
    </ul>
  );
}

/** The moves this person may make now; the service checks them again. */
function Workflow({ d, t, failure }: { d: Data; t: NT; failure?: NewsFailure }) {
  const { item, lang, isPublisher } = d;
  const due = item.due;
  const buttons: { value: string; label: NewsStaffKey; secondary?: boolean }[] = [];
  const state: NewsState = item.state;
  if (state === 'draft') buttons.push({ value: 'submit', label: 'act_submit' });
  if (state === 'in_review') {
    if (isPublisher) {
      buttons.push({ value: 'approve_publish', label: due ? 'act_approve_schedule' : 'act_approve_publish' });
      buttons.push({ value: 'approve', label: 'act_approve', secondary: true });
    }
    buttons.push({ value: 'withdraw', label: 'act_withdraw', secondary: true });
  }
  if (state === 'approved') buttons.push({ value: 'publish', label: due ? 'act_schedule' : 'act_publish' });
  if (state === 'scheduled') buttons.push({ value: 'unschedule', label: 'act_unschedule', secondary: true });
  if (state === 'published') buttons.push({ value: 'archive', label: 'act_archive', secondary: true });
  if (state === 'archived') buttons.push({ value: 'restore', label: 'act_restore', secondary: true });
  const canReturn = isPublisher && (state === 'in_review' || state === 'approved');
  const last = d.versions[0];
  return (
    <section aria-labelledby="workflow" className="news-workflow">
      <h2 id="workflow">{t('workflowTitle')}</h2>
      <p>
        {t('stateNow', { state: stateName(t, state) })}
        {last && (
          <>
            {' · '}
            {t('lastChange', { who: last.who ?? t('someone'), when: when(last.changedAt, lang) })}
          </>
        )}
      </p>
      {due && (state === 'scheduled' || state === 'approved' || state === 'in_review' || state === 'draft') && (
        <p>{item.embargoUntil ? t('embargoAt', { time: when(due, lang) }) : t('dueInfo', { time: when(due, lang) })}</p>
      )}
      {failure && failure.reason !== 'changed_meanwhile' && Object.keys(failure.fields).length > 0 && (
        <ul className="field-error">
          {Object.entries(failure.fields).map(([k, code]) => (
            <li key={k}>
              {`chg_${k}` in newsStaff.fi ? t(`chg_${k}` as NewsStaffKey) : k}: {errText(t, code)}
            </li>
          ))}
        </ul>
      )}
      {buttons.length > 0 ? (
        <Form method="post" reloadDocument className="news-actions">
          <CsrfField />
          <input type="hidden" name="intent" value="transition" />
          {buttons.map((b) => (
            <button key={b.value} type="submit" name="action" value={b.value} className={b.secondary ? 'secondary' : undefined}>
              {t(b.label)}
            </button>
          ))}
        </Form>
      ) : (
        !canReturn && <p>{t('noActions')}</p>
      )}
      {canReturn && (
        <Form method="post" reloadDocument className="news-return">
          <CsrfField />
          <input type="hidden" name="intent" value="transition" />
          <Field name="note" label={t('returnNote')} t={t}>
            {(aria) => <textarea {...aria} rows={2} maxLength={2000} />}
          </Field>
          <button type="submit" name="action" value="return" className="secondary">
            {t('act_return')}
          </button>
        </Form>
      )}
    </section>
  );
}

function EditForm({ d, t, readOnly, failure }: { d: Data; t: NT; readOnly: boolean; failure?: NewsFailure }) {
  const { item, lang } = d;
  const ct = useCatalogText();
  const fields = failure?.fields ?? {};
  const submitted = failure?.values;
  const err = (name: string) => errText(t, fields[name] ?? Object.entries(fields).find(([k]) => k.startsWith(`${name}.`))?.[1]);
  /** What was typed when refused, else the stored value. */
  const v = (name: string, stored: string) => {
    const x = submitted?.[name];
    return typeof x === 'string' ? x : submitted ? '' : stored;
  };
  const chosen = (name: string, stored: string[]) => {
    if (!submitted) return new Set(stored);
    const x = submitted[name];
    return new Set(x === undefined ? [] : [x].flat());
  };
  const topics = chosen('topics', item.topics);
  const services = chosen('serviceIds', item.serviceIds);
  const units = chosen('audienceUnitIds', item.audienceUnitIds);
  const audience = v('audience', item.audience);
  const mustRead = submitted ? submitted.mustRead === '1' : item.mustRead;
  const audienceChoice = item.kind === 'news' || item.kind === 'event';
  return (
    <Form method="post" reloadDocument noValidate className="news-edit">
      <CsrfField />
      <input type="hidden" name="updatedAt" value={item.updatedAt} />
      {/* A disabled fieldset greys out every field at once in a state that cannot be edited. */}
      <fieldset disabled={readOnly} className="news-edit-fields">
        {d.languages.map((l) => (
          <fieldset key={l} className="news-lang" lang={l}>
            <legend>{t('textsIn', { lang: t(LANG_KEY[l]) })}</legend>
            <Field name={`title.${l}`} label={`${t('fieldTitle')} (${t(LANG_KEY[l])})`} error={l === d.languages[0] ? errText(t, fields.title) : errText(t, fields[`title.${l}`])} t={t}>
              {(aria) => <input {...aria} type="text" maxLength={200} defaultValue={v(`title.${l}`, item.title[l] ?? '')} />}
            </Field>
            <Field name={`lead.${l}`} label={`${t('fieldLead')} (${t(LANG_KEY[l])})`} error={errText(t, fields[`lead.${l}`])} t={t}>
              {(aria) => <textarea {...aria} rows={3} maxLength={1000} defaultValue={v(`lead.${l}`, item.lead[l] ?? '')} />}
            </Field>
            <RichTextArea
              name={`body.${l}`}
              label={`${t('fieldBody')} (${t(LANG_KEY[l])})`}
              hint={t('bodyHint')}
              defaultValue={v(`body.${l}`, item.body[l] ?? '')}
              error={errText(t, fields[`body.${l}`])}
              lang={l}
              t={ct}
              toolbarLabel={`${t('toolbarLabel')} (${t(LANG_KEY[l])})`}
            />
          </fieldset>
        ))}

        <fieldset className="news-group">
          <legend>{t('classifyTitle')}</legend>
          <CheckList
            name="topics"
            legend={t('fieldTopics')}
            error={err('topics')}
            t={t}
            options={d.topics.map((x) => ({ value: x.slug, label: x.name }))}
            chosen={topics}
            lang={lang}
          />
          <Field name="tags" label={t('fieldTags')} hint={t('tagsHint')} error={err('tags')} t={t}>
            {(aria) => <input {...aria} type="text" maxLength={1000} defaultValue={v('tags', item.tags.join(', '))} />}
          </Field>
          <ServicePicker t={t} lang={lang} options={d.services} chosen={services} error={err('serviceIds')} />
        </fieldset>

        {item.kind !== 'press_release' && (
          <fieldset className="news-group">
            <legend>{t('audienceTitle')}</legend>
            {audienceChoice ? (
              <fieldset className="field">
                <legend>{t('audienceTitle')}</legend>
                {err('audience') && <p className="field-error">{err('audience')}</p>}
                {(['public', 'staff'] as const).map((a) => (
                  <div key={a} className="field checkbox">
                    <input id={`audience-${a}`} type="radio" name="audience" value={a} defaultChecked={audience === a} />
                    <label htmlFor={`audience-${a}`}>{a === 'public' ? t('audPublic') : t('audStaff')}</label>
                  </div>
                ))}
              </fieldset>
            ) : (
              <p>{t('audienceFixed', { aud: t('audStaff') })}</p>
            )}
            <CheckList
              name="audienceUnitIds"
              legend={t('fieldUnits')}
              hint={t('unitsHint')}
              error={err('audienceUnitIds')}
              t={t}
              options={d.units.map((u) => ({ value: u.id, label: u.name, depth: u.depth }))}
              chosen={units}
              lang={lang}
              scroll
            />
            <div className="field checkbox">
              <input id="f-mustRead" type="checkbox" name="mustRead" value="1" defaultChecked={mustRead} aria-describedby="f-mustRead-hint" />
              <label htmlFor="f-mustRead">{t('fieldMustRead')}</label>
              <p id="f-mustRead-hint" className="hint">
                {t('mustReadHint')}
              </p>
              {err('mustRead') && <p className="field-error">{err('mustRead')}</p>}
            </div>
          </fieldset>
        )}
        {item.kind === 'press_release' && <p>{t('audienceFixed', { aud: t('audPublic') })}</p>}

        {item.kind === 'event' && (
          <fieldset className="news-group">
            <legend>{t('eventTitle')}</legend>
            <Moment name="eventStartsAt" label={t('fieldEventStarts')} value={v('eventStartsAt', item.local.eventStartsAt)} error={err('eventStartsAt')} t={t} />
            <Moment name="eventEndsAt" label={t('fieldEventEnds')} value={v('eventEndsAt', item.local.eventEndsAt)} error={err('eventEndsAt')} t={t} />
            {d.languages.map((l) => (
              <Field key={l} name={`eventLocation.${l}`} label={t('fieldEventLocation', { lang: t(LANG_KEY[l]) })} error={errText(t, fields[`eventLocation.${l}`])} t={t}>
                {(aria) => <input {...aria} type="text" lang={l} maxLength={300} defaultValue={v(`eventLocation.${l}`, item.eventLocation[l] ?? '')} />}
              </Field>
            ))}
          </fieldset>
        )}

        <fieldset className="news-group">
          <legend>{t('timingTitle')}</legend>
          {item.kind === 'press_release' && (
            <Moment name="embargoUntil" label={t('fieldEmbargo')} hint={t('embargoHint')} value={v('embargoUntil', item.local.embargoUntil)} error={err('embargoUntil')} t={t} />
          )}
          <Moment name="scheduledAt" label={t('fieldScheduled')} hint={t('scheduledHint')} value={v('scheduledAt', item.local.scheduledAt)} error={err('scheduledAt')} t={t} />
        </fieldset>
      </fieldset>
      {!readOnly && (
        <button type="submit" name="intent" value="save">
          {t('save')}
        </button>
      )}
    </Form>
  );
}

/** A datetime-local field whose label says the time is Helsinki's. */
function Moment({ name, label, hint, value, error, t }: { name: string; label: string; hint?: string; value: string; error?: string; t: NT }) {
  return (
    <Field name={name} label={`${label} (${t('helsinkiTime')})`} hint={hint} error={error} t={t}>
      {(aria) => <input {...aria} type="datetime-local" defaultValue={value} />}
    </Field>
  );
}

function CheckList(props: {
  name: string;
  legend: string;
  hint?: string;
  error?: string;
  t: NT;
  options: { value: string; label: { text: string; lang: Lang }; depth?: number }[];
  chosen: Set<string>;
  lang: Lang;
  scroll?: boolean;
}) {
  const id = fieldId(props.name);
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className={`field news-checks${props.scroll ? ' news-checks-scroll' : ''}`} aria-describedby={describedBy}>
      <legend>{props.legend}</legend>
      {props.hint && (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={`${id}-error`} className="field-error">
          <span className="visually-hidden">{props.t('errorPrefix')} </span>
          {props.error}
        </p>
      )}
      {/* A scrolling list must be reachable by keyboard even when its boxes are disabled (read-only states). */}
      <ul tabIndex={props.scroll ? 0 : undefined}>
        {props.options.map((o) => (
          <li key={o.value} style={o.depth ? { paddingInlineStart: `${o.depth * 1.25}rem` } : undefined}>
            <input id={`${id}-${o.value}`} type="checkbox" name={props.name} value={o.value} defaultChecked={props.chosen.has(o.value)} />{' '}
            <label htmlFor={`${id}-${o.value}`} lang={o.label.lang !== props.lang ? o.label.lang : undefined}>
              {o.label.text}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/**
 * Related services: a checkbox list (works without JavaScript); once scripts run, a filter
 * box hides the services whose name does not match. Chosen ones always stay visible.
 */
function ServicePicker({ t, lang, options, chosen, error }: { t: NT; lang: Lang; options: Data['services']; chosen: Set<string>; error?: string }) {
  const [enhanced, setEnhanced] = useState(false);
  const [filter, setFilter] = useState('');
  const [picked, setPicked] = useState(chosen);
  useEffect(() => setEnhanced(true), []);
  const q = filter.trim().toLowerCase();
  const id = fieldId('serviceIds');
  return (
    <fieldset className="field news-checks news-checks-scroll" aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}>
      <legend>{t('fieldServices')}</legend>
      <p id={`${id}-hint`} className="hint">
        {t('servicesHint')} {t('servicesSelected', { n: picked.size })}
      </p>
      {error && (
        <p id={`${id}-error`} className="field-error">
          <span className="visually-hidden">{t('errorPrefix')} </span>
          {error}
        </p>
      )}
      {enhanced && (
        <div className="field">
          <label htmlFor={`${id}-filter`}>{t('servicesFilter')}</label>
          <input id={`${id}-filter`} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} autoComplete="off" />
        </div>
      )}
      <ul tabIndex={0}>
        {options.map((o) => {
          const hidden = q !== '' && !picked.has(o.id) && !o.name.text.toLowerCase().includes(q);
          return (
            <li key={o.id} hidden={hidden}>
              <input
                id={`${id}-${o.id}`}
                type="checkbox"
                name="serviceIds"
                value={o.id}
                defaultChecked={chosen.has(o.id)}
                onChange={(e) => {
                  const next = new Set(picked);
                  if (e.target.checked) next.add(o.id);
                  else next.delete(o.id);
                  setPicked(next);
                }}
              />{' '}
              <label htmlFor={`${id}-${o.id}`} lang={o.name.lang !== lang ? o.name.lang : undefined}>
                {o.name.text}
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

function MediaSection({ d, t, kind, failure, readOnly }: { d: Data; t: NT; kind: 'image' | 'attachment'; failure?: NewsFailure; readOnly: boolean }) {
  const { item, lang } = d;
  const list: NewsMedia[] = kind === 'image' ? item.images : item.attachments;
  const sectionId = kind === 'image' ? 'images' : 'attachments';
  const uploadFailure = failure?.intent === 'upload' && failure.target === kind ? failure : undefined;
  return (
    <section aria-labelledby={sectionId} className="news-media">
      <h2 id={sectionId}>{kind === 'image' ? t('imagesTitle') : t('attachmentsTitle')}</h2>
      {list.length === 0 && <p>{kind === 'image' ? t('noImages') : t('noAttachments')}</p>}
      <ul className="news-media-list">
        {list.map((m, n) => {
          const rowFailure = failure?.target === m.id ? failure : undefined;
          const alt = pick(m.alt, lang);
          const label = t(kind === 'image' ? 'imageN' : 'attachmentN', { n: n + 1, name: m.filename });
          return (
            <li key={m.id}>
              {kind === 'image' ? (
                <img src={m.url} alt={alt.text} lang={alt.lang !== lang ? alt.lang : undefined} width={160} className="news-thumb" loading="lazy" />
              ) : null}
              <div>
                <p>
                  <a href={kind === 'image' ? m.url : `${m.url}?download=1`}>{label}</a> ({Math.ceil(m.size / 1024)} kB)
                </p>
                {!readOnly && (
                  <>
                    <Form method="post" reloadDocument noValidate aria-label={label}>
                      <CsrfField />
                      <input type="hidden" name="mediaId" value={m.id} />
                      <MediaFields d={d} t={t} kind={kind} prefix={`m-${m.id}`} media={m} failure={rowFailure} />
                      <button type="submit" name="intent" value="media_update" className="secondary">
                        {t('updateMedia')}
                      </button>
                    </Form>
                    <Form method="post" reloadDocument>
                      <CsrfField />
                      <input type="hidden" name="mediaId" value={m.id} />
                      <button type="submit" name="intent" value="media_remove" className="danger" aria-label={`${t('removeMedia')}: ${m.filename}`}>
                        {t('removeMedia')}
                      </button>
                    </Form>
                  </>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {!readOnly && (
        <Form method="post" reloadDocument noValidate encType="multipart/form-data" className="news-upload">
          <h3>{kind === 'image' ? t('addImage') : t('addAttachment')}</h3>
          <CsrfField />
          <input type="hidden" name="kind" value={kind} />
          {uploadFailure && (
            <div className="alert" role="alert">
              <p>{uploadFailure.message}</p>
            </div>
          )}
          <Field name={`${kind}-file`} label={t('fieldFile')} error={errText(t, uploadFailure?.fields.file)} t={t}>
            {(aria) => <input {...aria} name="file" type="file" accept={kind === 'image' ? 'image/jpeg,image/png,image/webp,image/gif' : 'application/pdf'} />}
          </Field>
          <MediaFields d={d} t={t} kind={kind} prefix={`new-${kind}`} failure={uploadFailure} />
          <button type="submit" name="intent" value="upload">
            {t('upload')}
          </button>
        </Form>
      )}
    </section>
  );
}

function MediaFields({ d, t, kind, prefix, media, failure }: { d: Data; t: NT; kind: 'image' | 'attachment'; prefix: string; media?: NewsMedia; failure?: NewsFailure }) {
  const v = (name: string, stored: string) => {
    const x = failure?.values[name];
    return typeof x === 'string' ? x : failure ? '' : stored;
  };
  const altErr = errText(t, failure?.fields.alt);
  return (
    <>
      {d.languages.map((l, i) => (
        <Field
          key={`alt-${l}`}
          name={`${prefix}-alt-${l}`}
          label={kind === 'image' ? t('fieldAlt', { lang: t(LANG_KEY[l]) }) : t('fieldAttachmentName', { lang: t(LANG_KEY[l]) })}
          hint={kind === 'image' && i === 0 ? t('altHint') : undefined}
          error={i === 0 ? altErr : undefined}
          t={t}
        >
          {(aria) => <input {...aria} name={`alt.${l}`} type="text" lang={l} maxLength={500} defaultValue={v(`alt.${l}`, media?.alt[l] ?? '')} />}
        </Field>
      ))}
      {kind === 'image' &&
        d.languages.map((l) => (
          <Field key={`caption-${l}`} name={`${prefix}-caption-${l}`} label={t('fieldCaption', { lang: t(LANG_KEY[l]) })} t={t}>
            {(aria) => <input {...aria} name={`caption.${l}`} type="text" lang={l} maxLength={1000} defaultValue={v(`caption.${l}`, media?.caption[l] ?? '')} />}
          </Field>
        ))}
      {kind === 'image' && (
        <>
          <Field name={`${prefix}-credit`} label={t('fieldCredit')} t={t}>
            {(aria) => <input {...aria} name="credit" type="text" maxLength={200} defaultValue={v('credit', media?.credit ?? '')} />}
          </Field>
          <Field name={`${prefix}-license`} label={t('fieldLicense')} t={t}>
            {(aria) => <input {...aria} name="license" type="text" maxLength={200} defaultValue={v('license', media?.license ?? '')} />}
          </Field>
          <div className="field checkbox">
            <input
              id={`${prefix}-bank`}
              type="checkbox"
              name="inImageBank"
              value="1"
              defaultChecked={failure ? failure.values.inImageBank === '1' : (media?.inImageBank ?? false)}
            />
            <label htmlFor={`${prefix}-bank`}>{t('fieldInBank')}</label>
          </div>
        </>
      )}
    </>
  );
}

function Comments({ d, t, failure }: { d: Data; t: NT; failure?: NewsFailure }) {
  const { lang } = d;
  return (
    <section aria-labelledby="comments" className="news-comments">
      <h2 id="comments">{t('commentsTitle')}</h2>
      {d.comments.length === 0 ? (
        <p>{t('noComments')}</p>
      ) : (
        <ol className="news-comment-list">
          {d.comments.map((c) => (
            <li key={c.id}>
              <p className="news-meta">
                <strong>{c.authorName}</strong> · <time dateTime={c.createdAt}>{when(c.createdAt, lang)}</time>
              </p>
              <p className="news-comment-body">{c.body}</p>
            </li>
          ))}
        </ol>
      )}
      <Form method="post" reloadDocument noValidate>
        <CsrfField />
        <Field name="comment-body" label={t('commentLabel')} error={errText(t, failure?.fields.body)} t={t}>
          {(aria) => <textarea {...aria} name="body" rows={3} maxLength={4000} defaultValue={typeof failure?.values.body === 'string' ? failure.values.body : ''} />}
        </Field>
        <button type="submit" name="intent" value="comment" className="secondary">
          {t('addComment')}
        </button>
      </Form>
    </section>
  );
}

function History({ d, t }: { d: Data; t: NT }) {
  const { lang, item } = d;
  const actionLabel = (a: string) => {
    const key = `action_${a}` as NewsStaffKey;
    return key in newsStaff.fi ? t(key) : a;
  };
  const changeLabel = (c: { field: string; lang?: Lang }) => {
    const key = `chg_${c.field}` as NewsStaffKey;
    const name = key in newsStaff.fi ? t(key) : c.field;
    return c.lang ? `${name} (${c.lang})` : name;
  };
  return (
    <section aria-labelledby="history" className="news-history">
      <h2 id="history">{t('historyTitle')}</h2>
      <TableWrap label={t('historyTitle')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('colVersion')}</th>
              <th scope="col">{t('colAction')}</th>
              <th scope="col">{t('colState')}</th>
              <th scope="col">{t('colWho')}</th>
              <th scope="col">{t('colWhen')}</th>
              <th scope="col">{t('colChanges')}</th>
              <th scope="col">{t('colText')}</th>
            </tr>
          </thead>
          <tbody>
            {d.versions.map((v) => (
              <tr key={v.id}>
                <td>{v.version}</td>
                <td>
                  {actionLabel(v.action)}
                  {v.note && <span className="news-note"> – {v.note}</span>}
                </td>
                <td>{stateName(t, v.state)}</td>
                <td>{v.who ?? t('someone')}</td>
                <td className="nowrap">
                  <time dateTime={v.changedAt}>{when(v.changedAt, lang)}</time>
                </td>
                <td>{v.changes === null ? t('firstVersion') : v.changes.length ? v.changes.map(changeLabel).join(', ') : t('noChange')}</td>
                <td>
                  <a href={`/${lang}/staff/news/${item.id}?version=${v.id}#version-text`}>{t('viewVersion', { n: v.version })}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {d.shown && (
        <section aria-labelledby="version-text" className="news-version">
          <h3 id="version-text">{t('versionShown', { n: d.shown.version, when: when(d.shown.changedAt, lang) })}</h3>
          {LANGUAGES.filter((l) => d.shown!.title[l] || d.shown!.lead[l] || d.shown!.body[l]).map((l) => (
            <article key={l} lang={l} className="news-version-lang">
              <h4>{d.shown!.title[l]}</h4>
              {d.shown!.lead[l] && <p>{d.shown!.lead[l]}</p>}
              {d.shown!.body[l] && <div className="prose rich" dangerouslySetInnerHTML={{ __html: d.shown!.body[l]! }} />}
            </article>
          ))}
          <p>
            <a href={`/${lang}/staff/news/${item.id}#history`}>{t('closeVersion')}</a>
          </p>
        </section>
      )}
    </section>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
