import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { formValues } from '../staff/admin-page.ts';
import { Breadcrumbs } from '../staff/catalog-edit-ui.tsx';
import { Notice } from '../staff/inbox-ui.tsx';
import {
  Field,
  fieldErrorText,
  FormProblem,
  formatMoment,
  OnceUrl,
  ScreenOptions,
  signageAction,
  unitOptions,
  UnitSelect,
  useSignageText,
  type SignageResult,
  type SignageT,
} from '../staff/signage-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** One screen: its details, a new secret URL, removal, and its playlist (add, move, remove slides; no JavaScript needed). */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services;
  const tenantId = context.tenant.id;
  return runLoader(async () => {
    const access = await s.signage.access(context.actor, tenantId, lang);
    const screen = await s.signage.getScreen(context.actor, tenantId, params.id ?? '');
    const [slides, topics, images, locations] = await Promise.all([
      s.signage.slides(context.actor, tenantId, screen.id),
      s.newsroom.topics(tenantId),
      s.newsroom.imageBank(tenantId, 200),
      s.signage.hoursLocations(tenantId),
    ]);
    const topicName = new Map(topics.map((x) => [x.slug, pick(x.names, lang).text || x.slug]));
    const imageName = new Map(images.map((m) => [m.id, pick(m.alt, lang).text || m.filename]));
    const locationName = new Map(locations.map((l) => [l.id, pick(l.names, lang).text]));
    const notice = new URL(request.url).searchParams.get('notice');
    return {
      lang,
      languages: context.tenant.languages,
      screen,
      units: unitOptions(access, lang),
      slides: slides.map((x) => ({
        id: x.id,
        kind: x.kind,
        detail: slideDetail(x.kind, x.config, { topicName, imageName, locationName }),
      })),
      topics: topics.map((x) => ({ slug: x.slug, name: topicName.get(x.slug)! })),
      images: images.map((m) => ({ id: m.id, name: imageName.get(m.id)! })),
      locations: locations.map((l) => ({ id: l.id, name: pick(l.names, lang) })),
      notice: notice === 'saved' ? ('saved' as const) : null,
    };
  });
}

type Names = { topicName: Map<string, string>; imageName: Map<string, string>; locationName: Map<string, string> };
function slideDetail(kind: string, c: Record<string, unknown>, n: Names): { count?: number; topic?: string; text?: string } {
  if (kind === 'news') return { count: Number(c.count ?? 3), topic: typeof c.topic === 'string' ? (n.topicName.get(c.topic) ?? c.topic) : undefined };
  if (kind === 'bulletins') return { count: Number(c.count ?? 3) };
  if (kind === 'image') return { text: (typeof c.alt === 'string' && c.alt) || n.imageName.get(String(c.mediaId)) || '' };
  if (kind === 'text') return { text: String(c.title ?? '') };
  if (kind === 'hours') return { text: n.locationName.get(String(c.locationId)) ?? '' };
  return {};
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services.signage;
  const { actor, tenant, ip } = context;
  const id = params.id ?? '';
  const form = await request.formData();
  const v = formValues(form);
  const one = (k: string) => (Array.isArray(v[k]) ? v[k][0] : (v[k] as string | undefined)) ?? '';
  const intent = one('intent');
  const back = `/${lang}/staff/signage/${id}`;
  return signageAction(lang, intent, v, async () => {
    switch (intent) {
      case 'save':
        await s.updateScreen(
          actor,
          tenant.id,
          id,
          {
            name: one('name'),
            orgUnitId: one('orgUnitId'),
            locationNote: one('locationNote'),
            orientation: one('orientation'),
            lang: one('lang'),
            slideSeconds: one('slideSeconds'),
          },
          tenant.languages,
          ip,
        );
        return redirect(`${back}?notice=saved`);
      case 'rotate': {
        const { token } = await s.rotateToken(actor, tenant.id, id, ip);
        return { ok: true, intent, notice: 'rotated', url: `${context.origin}/signage/${token}` };
      }
      case 'remove':
        await s.removeScreen(actor, tenant.id, id, ip);
        return redirect(`/${lang}/staff/signage?notice=removed`);
      case 'move':
        await s.moveSlide(actor, tenant.id, id, one('slideId'), one('direction'), ip);
        return redirect(`${back}#playlist`);
      case 'removeSlide':
        await s.removeSlide(actor, tenant.id, id, one('slideId'), ip);
        return redirect(`${back}#playlist`);
      case 'addSlide': {
        const kind = one('kind');
        if (kind === 'upload') {
          const file = form.get('file');
          const data = file && typeof file !== 'string' ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
          await s.addUploadedImage(actor, tenant.id, id, { data, alt: one('alt') }, ip);
          return redirect(`${back}#playlist`);
        }
        const body: Record<string, unknown> =
          kind === 'news'
            ? { kind, topic: one('topic'), count: one('count') || undefined }
            : kind === 'bulletins'
              ? { kind, count: one('count') || undefined }
              : kind === 'image'
                ? { kind, mediaId: one('mediaId'), alt: one('alt') }
                : kind === 'text'
                  ? { kind, title: one('title'), body: one('body') }
                  : { kind, locationId: one('locationId') };
        await s.addSlide(actor, tenant.id, id, body, ip);
        return redirect(`${back}#playlist`);
      }
      default:
        return { ok: false, intent, message: '', fields: { intent: 'invalid' }, values: v } as SignageResult;
    }
  });
}

const KIND_LABEL = { news: 'slideNews', bulletins: 'slideBulletins', image: 'slideImage', upload: 'slideUpload', text: 'slideText', hours: 'slideHours' } as const;

export default function SignageScreen() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData() as SignageResult | undefined;
  const t = useSignageText();
  const { lang, screen } = d;
  const failure = result && !result.ok ? result : null;
  const failed = (intent: string, kind?: string) => failure?.intent === intent && (!kind || failure.values.kind === kind);
  const value = (intent: string) => (k: string, fallback = '') => {
    const x = failed(intent) ? failure?.values[k] : undefined;
    return (Array.isArray(x) ? x[0] : x) ?? fallback;
  };
  const err = (intent: string) => (k: string) => (failed(intent) ? fieldErrorText(t, failure?.fields[k]) : undefined);
  const saveValue = value('save');
  const saveErr = err('save');
  return (
    <>
      <title>{screen.name}</title>
      <Breadcrumbs
        t={t}
        items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/signage`, label: t('title') }, { label: screen.name }]}
      />
      <h1>{screen.name}</h1>
      <p>
        {t('colLastSeen')}: {screen.lastSeenAt ? formatMoment(screen.lastSeenAt, lang) : t('never')}
      </p>
      {d.notice && (
        <Notice>{t('saved')}</Notice>
      )}
      {result?.ok && result.url && (
        <>
          <Notice>{t('rotated')}</Notice>
          <OnceUrl url={result.url} t={t} />
        </>
      )}
      <FormProblem failure={failure} t={t} />

      <h2 id="playlist">{t('playlist')}</h2>
      <p>{t('playlistIntro')}</p>
      {d.slides.length === 0 ? (
        <p>{t('noSlides')}</p>
      ) : (
        <ol className="signage-playlist">
          {d.slides.map((x, i) => (
            <li key={x.id}>
              <span className="signage-slide-name">
                <strong>{t(KIND_LABEL[x.kind])}</strong>
                {x.kind === 'news' && <> – {t('newsSummary', { count: x.detail.count ?? 3, topic: x.detail.topic ? t('topicSuffix', { topic: x.detail.topic }) : '' })}</>}
                {x.kind === 'bulletins' && <> – {t('bulletinSummary', { count: x.detail.count ?? 3 })}</>}
                {x.detail.text && <> – {x.detail.text}</>}
              </span>
              <span className="signage-slide-actions">
                {i > 0 && <SlideButton intent="move" slideId={x.id} direction="up" label={t('moveUp')} />}
                {i < d.slides.length - 1 && <SlideButton intent="move" slideId={x.id} direction="down" label={t('moveDown')} />}
                <SlideButton intent="removeSlide" slideId={x.id} label={t('removeSlide')} />
              </span>
            </li>
          ))}
        </ol>
      )}

      <h2>{t('addSlide')}</h2>
      <div className="signage-add">
        <AddSlide kind="news" t={t} failed={failed('addSlide', 'news')} err={err('addSlide')}>
          <Field id="add-news-topic" label={t('topic')}>
            {(a) => (
              <select {...a} name="topic" defaultValue="">
                <option value="">{t('allTopics')}</option>
                {d.topics.map((x) => (
                  <option key={x.slug} value={x.slug}>
                    {x.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <CountField id="add-news-count" t={t} />
        </AddSlide>
        <AddSlide kind="bulletins" t={t} failed={failed('addSlide', 'bulletins')} err={err('addSlide')}>
          <CountField id="add-bulletins-count" t={t} />
        </AddSlide>
        <AddSlide kind="image" t={t} failed={failed('addSlide', 'image')} err={err('addSlide')} disabled={d.images.length === 0 ? t('noImages') : undefined}>
          <Field id="add-image-media" label={t('image')} error={failed('addSlide', 'image') ? fieldErrorText(t, failure?.fields.mediaId) : undefined}>
            {(a) => (
              <select {...a} name="mediaId" required>
                {d.images.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="add-image-alt" label={t('alt')}>
            {(a) => <input {...a} type="text" name="alt" maxLength={300} />}
          </Field>
        </AddSlide>
        <AddSlide kind="upload" t={t} failed={failed('addSlide', 'upload')} err={err('addSlide')} multipart>
          <Field id="add-upload-file" label={t('file')} error={failed('addSlide', 'upload') ? fieldErrorText(t, failure?.fields.file) : undefined}>
            {(a) => <input {...a} type="file" name="file" required accept="image/jpeg,image/png,image/webp" />}
          </Field>
          <Field id="add-upload-alt" label={t('altRequired')} error={failed('addSlide', 'upload') ? fieldErrorText(t, failure?.fields.alt) : undefined}>
            {(a) => <input {...a} type="text" name="alt" required maxLength={300} lang={screen.lang} defaultValue={value('addSlide')('alt')} />}
          </Field>
        </AddSlide>
        <AddSlide kind="text" t={t} failed={failed('addSlide', 'text')} err={err('addSlide')}>
          <Field id="add-text-title" label={t('textTitle')} error={failed('addSlide', 'text') ? fieldErrorText(t, failure?.fields.title) : undefined}>
            {(a) => <input {...a} type="text" name="title" required maxLength={120} lang={screen.lang} defaultValue={value('addSlide')('title')} />}
          </Field>
          <Field id="add-text-body" label={t('textBody')}>
            {(a) => <textarea {...a} name="body" rows={3} maxLength={600} lang={screen.lang} defaultValue={value('addSlide')('body')} />}
          </Field>
        </AddSlide>
        <AddSlide kind="hours" t={t} failed={failed('addSlide', 'hours')} err={err('addSlide')} disabled={d.locations.length === 0 ? t('noLocations') : undefined}>
          <Field id="add-hours-location" label={t('location')}>
            {(a) => (
              <select {...a} name="locationId" required>
                {d.locations.map((l) => (
                  <option key={l.id} value={l.id} lang={l.name.lang !== lang ? l.name.lang : undefined}>
                    {l.name.text}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </AddSlide>
      </div>

      <h2 id="details">{t('edit')}</h2>
      <Form method="post" aria-labelledby="details" className="signage-form">
        <CsrfField />
        <input type="hidden" name="intent" value="save" />
        <Field id="screen-name" label={t('name')} error={saveErr('name')}>
          {(a) => <input {...a} type="text" name="name" required maxLength={120} defaultValue={saveValue('name', screen.name)} />}
        </Field>
        <UnitSelect t={t} units={d.units} lang={lang} defaultValue={saveValue('orgUnitId', screen.orgUnitId)} error={saveErr('orgUnitId')} />
        <Field id="screen-location" label={t('locationNote')} error={saveErr('locationNote')}>
          {(a) => <input {...a} type="text" name="locationNote" maxLength={300} defaultValue={saveValue('locationNote', screen.locationNote)} />}
        </Field>
        <ScreenOptions
          t={t}
          languages={d.languages}
          value={(k, fallback) => saveValue(k, k === 'orientation' ? screen.orientation : k === 'lang' ? screen.lang : k === 'slideSeconds' ? String(screen.slideSeconds) : (fallback ?? ''))}
          err={saveErr}
        />
        <button type="submit">{t('save')}</button>
      </Form>

      <h2>{t('rotate')}</h2>
      <Form method="post" className="signage-form">
        <CsrfField />
        <input type="hidden" name="intent" value="rotate" />
        <p id="rotate-hint">{t('rotateHint')}</p>
        <button type="submit" aria-describedby="rotate-hint">
          {t('rotate')}
        </button>
      </Form>

      <h2>{t('remove')}</h2>
      <Form method="post" className="signage-form">
        <CsrfField />
        <input type="hidden" name="intent" value="remove" />
        <button type="submit" className="danger">
          {t('remove')}
        </button>
      </Form>
    </>
  );
}

function SlideButton({ intent, slideId, direction, label }: { intent: string; slideId: string; direction?: 'up' | 'down'; label: string }) {
  return (
    <Form method="post" className="signage-inline">
      <CsrfField />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="slideId" value={slideId} />
      {direction && <input type="hidden" name="direction" value={direction} />}
      <button type="submit" className="secondary">
        {label}
      </button>
    </Form>
  );
}

function CountField({ id, t }: { id: string; t: SignageT }) {
  return (
    <Field id={id} label={t('count')}>
      {(a) => <input {...a} name="count" type="number" min={1} max={10} defaultValue="3" />}
    </Field>
  );
}

function AddSlide({
  kind,
  t,
  failed,
  err,
  disabled,
  multipart,
  children,
}: {
  kind: keyof typeof KIND_LABEL;
  t: SignageT;
  failed: boolean;
  err: (k: string) => string | undefined;
  disabled?: string;
  /** File uploads post multipart/form-data. */
  multipart?: boolean;
  children: React.ReactNode;
}) {
  const headingId = `add-${kind}`;
  const general = failed ? (err('count') ?? err('kind') ?? err('topic') ?? err('locationId')) : undefined;
  return (
    <section aria-labelledby={headingId} className="signage-add-kind">
      <h3 id={headingId}>{t(KIND_LABEL[kind])}</h3>
      {disabled ? (
        <p>{disabled}</p>
      ) : (
        <Form method="post" encType={multipart ? 'multipart/form-data' : undefined}>
          <CsrfField />
          <input type="hidden" name="intent" value="addSlide" />
          <input type="hidden" name="kind" value={kind} />
          {children}
          {general && <p className="field-error">{general}</p>}
          <button type="submit">{t('add')}</button>
        </Form>
      )}
    </section>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
