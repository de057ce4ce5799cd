import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { requireNewsEditor } from '../../modules/newsroom/items.ts';
import { formatBytes } from '../../modules/newsroom/public-view.ts';
import { AppError } from '../../platform/errors.ts';
import { LANGUAGES, pick, type Lang } from '../../platform/i18n.ts';
import { isUuid } from '../../platform/validation.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { LANG_SUFFIX, newsPressStaff, pressErrorKey } from '../i18n/news-press-staff.ts';
import { pageLang, requireStaffPage, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { formStrings } from '../staff/admin-page.ts';
import { Breadcrumbs, Field } from '../staff/catalog-edit-ui.tsx';
import { Notice, Problem } from '../staff/inbox-ui.tsx';
import { pressFormFailure, type PressFormFailure } from '../staff/press-room-form.ts';

/**
 * The press image bank in the console (communications, publishers): upload an image with
 * its alt text, caption, credit and license; edit the details; remove. Plain multipart and
 * url-encoded forms with POST-redirect-GET: works without JavaScript. The route's body
 * limit is NEWS_MEDIA_MAX_BYTES (src/server/app.ts); the newsroom core checks the type from
 * the bytes, strips location metadata and audits every change.
 */

const NOTICES = ['added', 'saved', 'removed'] as const;

export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services;
  return runLoader(async () => {
    requireNewsEditor(context.actor, context.tenant.id);
    const url = new URL(request.url);
    const images = await s.newsroom.imageBank(context.tenant.id, 500);
    const notice = url.searchParams.get('notice');
    const edit = url.searchParams.get('edit');
    return {
      lang,
      languages: LANGUAGES.filter((l) => context.tenant.languages.includes(l)),
      maxBytes: s.config.NEWS_MEDIA_MAX_BYTES,
      notice: NOTICES.find((n) => n === notice) ?? null,
      editId: edit && images.some((m) => m.id === edit) ? edit : null,
      images: images.map((m) => ({
        id: m.id,
        url: m.url,
        filename: m.filename,
        size: m.size,
        alt: m.alt,
        caption: m.caption,
        credit: m.credit,
        license: m.license,
        shownAlt: pick(m.alt, lang, [context.tenant.defaultLanguage]),
      })),
    };
  });
}

type Failure = PressFormFailure;

function meta(v: Record<string, string>) {
  return {
    alt: { fi: v.altFi ?? '', sv: v.altSv ?? '', en: v.altEn ?? '' },
    caption: { fi: v.captionFi ?? '', sv: v.captionSv ?? '', en: v.captionEn ?? '' },
    credit: v.credit ?? '',
    license: v.license ?? '',
  };
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services;
  const tenantId = context.tenant.id;
  const form = await request.formData();
  const v = formStrings(form);
  const here = `/${lang}/staff/news/images`;
  try {
    if (v.intent === 'upload') {
      const file = form.get('file');
      const data = file && typeof file !== 'string' ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
      await s.newsroom.addMedia(
        context.actor,
        tenantId,
        { itemId: null, kind: 'image', filename: file && typeof file !== 'string' ? file.name || 'image' : 'image', data, meta: { ...meta(v), inImageBank: true } },
        { ip: context.ip },
      );
      return redirect(`${here}?notice=added`);
    }
    if (!isUuid(v.id)) throw new AppError('not_found', 404);
    if (v.intent === 'update') {
      await s.newsroom.updateMedia(context.actor, tenantId, v.id, meta(v), { ip: context.ip });
      return redirect(`${here}?notice=saved#image-${v.id}`);
    }
    if (v.intent === 'remove') {
      await s.newsroom.removeMedia(context.actor, tenantId, v.id, { ip: context.ip });
      return redirect(`${here}?notice=removed`);
    }
    throw new AppError('validation_failed', 400, { fields: { intent: 'invalid' } });
  } catch (e) {
    return pressFormFailure(e, lang, { intent: v.intent ?? '', id: v.id, values: v });
  }
}

type Img = ReturnType<typeof useLoaderData<typeof loader>>['images'][number];

export default function StaffImageBank() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData() as Failure | undefined;
  const { lang } = d;
  const t = translator(newsPressStaff, lang);
  const uploadFailure = failure?.intent === 'upload' ? failure : undefined;
  const editId = failure?.intent === 'update' ? failure.id : d.editId;
  return (
    <>
      <title>{t('imagesTitle')}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t('imagesTitle') }]} />
      <h1>{t('imagesTitle')}</h1>
      <p>{t('imagesIntro')}</p>
      <p>
        <a href={`/${lang}/press/images`}>{t('viewPublicBank')}</a>
      </p>
      {d.notice && <Notice>{t(`notice_${d.notice}`)}</Notice>}
      {failure && failure.intent !== 'upload' && failure.intent !== 'update' && <Problem message={failure.message} />}

      <section aria-labelledby="bank-upload-title" className="press-staff-form">
        <h2 id="bank-upload-title">{t('uploadTitle')}</h2>
        {uploadFailure && <Problem message={Object.keys(uploadFailure.fields).length ? t('formErrors') : uploadFailure.message} />}
        <Form method="post" encType="multipart/form-data" reloadDocument>
          <CsrfField />
          <input type="hidden" name="intent" value="upload" />
          <Field t={t} name="bank-file" label={t('file')} hint={t('fileHint', { size: formatBytes(d.maxBytes, lang) })} error={uploadFailure?.fields.file ? t(pressErrorKey(uploadFailure.fields.file)) : undefined}>
            {(aria) => <input {...aria} name="file" type="file" accept="image/png,image/jpeg,image/webp,image/gif" required />}
          </Field>
          <MetaFields prefix="bank-new" languages={d.languages} lang={lang} failure={uploadFailure} />
          <button type="submit">{t('upload')}</button>
        </Form>
      </section>

      <section aria-labelledby="bank-list-title">
        <h2 id="bank-list-title">{t('listTitle')}</h2>
        {d.images.length === 0 ? (
          <p>{t('imagesEmpty')}</p>
        ) : (
          <ul className="press-staff-images plain">
            {d.images.map((img) =>
              img.id === editId ? (
                <li key={img.id} id={`image-${img.id}`} className="press-staff-image">
                  <EditImage img={img} languages={d.languages} lang={lang} failure={failure?.intent === 'update' && failure.id === img.id ? failure : undefined} />
                </li>
              ) : (
                <li key={img.id} id={`image-${img.id}`} className="press-staff-image">
                  <ImageSummary img={img} lang={lang} />
                </li>
              ),
            )}
          </ul>
        )}
      </section>
    </>
  );
}

function ImageSummary({ img, lang }: { img: Img; lang: Lang }) {
  const t = translator(newsPressStaff, lang);
  const caption = pick(img.caption, lang);
  return (
    <>
      <img src={img.url} alt={img.shownAlt.text} lang={img.shownAlt.lang !== lang ? img.shownAlt.lang : undefined} loading="lazy" width={240} height={150} />
      <div className="press-staff-image-details">
        <h3>{img.filename}</h3>
        {caption.text && <p lang={caption.lang !== lang ? caption.lang : undefined}>{caption.text}</p>}
        <p>{img.credit ? t('creditShown', { credit: img.credit }) : t('noCredit')}</p>
        {img.license && <p>{t('licenseShown', { license: img.license })}</p>}
        <p className="hint">{formatBytes(img.size, lang)}</p>
        <div className="press-staff-actions">
          <a className="button secondary" href={`?edit=${img.id}#image-${img.id}`}>
            {t('edit')}
            <span className="visually-hidden"> {img.filename}</span>
          </a>
          <Form method="post" reloadDocument>
            <CsrfField />
            <input type="hidden" name="intent" value="remove" />
            <input type="hidden" name="id" value={img.id} />
            <button type="submit" className="danger" aria-label={t('removeImage', { name: img.filename })}>
              {t('remove')}
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

function EditImage({ img, languages, lang, failure }: { img: Img; languages: Lang[]; lang: Lang; failure?: Failure }) {
  const t = translator(newsPressStaff, lang);
  return (
    <>
      <img src={img.url} alt={img.shownAlt.text} lang={img.shownAlt.lang !== lang ? img.shownAlt.lang : undefined} width={240} height={150} />
      <div className="press-staff-image-details">
        <h3 id={`edit-title-${img.id}`}>
          {t('editImageTitle')}: {img.filename}
        </h3>
        {failure && <Problem message={Object.keys(failure.fields).length ? t('formErrors') : failure.message} />}
        <Form method="post" reloadDocument aria-labelledby={`edit-title-${img.id}`}>
          <CsrfField />
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="id" value={img.id} />
          <MetaFields prefix={`bank-${img.id}`} languages={languages} lang={lang} failure={failure} initial={img} />
          <div className="press-staff-actions">
            <button type="submit">{t('save')}</button>
            <a href="?">{t('cancel')}</a>
          </div>
        </Form>
      </div>
    </>
  );
}

/** Alt text and caption per tenant language, credit and license, with the server's errors. */
function MetaFields({ prefix, languages, lang, failure, initial }: { prefix: string; languages: Lang[]; lang: Lang; failure?: Failure; initial?: Img }) {
  const t = translator(newsPressStaff, lang);
  const cap = (l: Lang) => (l === 'fi' ? 'Fi' : l === 'sv' ? 'Sv' : 'En');
  const value = (name: string, fallback: string) => failure?.values[name] ?? fallback;
  const altError = failure?.fields.alt ? t(pressErrorKey(failure.fields.alt, 'alt')) : undefined;
  return (
    <>
      <fieldset>
        <legend>{t('altLegend')}</legend>
        <p className="hint" id={`${prefix}-alt-hint`}>
          {t('altHint')}
        </p>
        {altError && (
          <p className="field-error" id={`${prefix}-alt-error`}>
            <span className="visually-hidden">{t('errorPrefix')} </span>
            {altError}
          </p>
        )}
        {languages.map((l) => (
          <Field key={l} t={t} name={`${prefix}-alt-${l}`} label={t('alt', { lang: t(LANG_SUFFIX[l]) })}>
            {(aria) => (
              <textarea
                {...aria}
                name={`alt${cap(l)}`}
                rows={2}
                maxLength={500}
                lang={l}
                defaultValue={value(`alt${cap(l)}`, initial?.alt[l] ?? '')}
                aria-describedby={[`${prefix}-alt-hint`, altError ? `${prefix}-alt-error` : ''].filter(Boolean).join(' ')}
                aria-invalid={altError ? true : undefined}
              />
            )}
          </Field>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('captionLegend')}</legend>
        {languages.map((l) => (
          <Field key={l} t={t} name={`${prefix}-caption-${l}`} label={t('caption', { lang: t(LANG_SUFFIX[l]) })}>
            {(aria) => <input {...aria} type="text" name={`caption${cap(l)}`} maxLength={1000} lang={l} defaultValue={value(`caption${cap(l)}`, initial?.caption[l] ?? '')} />}
          </Field>
        ))}
      </fieldset>
      <Field t={t} name={`${prefix}-credit`} label={t('credit')} error={failure?.fields.credit ? t(pressErrorKey(failure.fields.credit)) : undefined}>
        {(aria) => <input {...aria} type="text" name="credit" maxLength={200} defaultValue={value('credit', initial?.credit ?? '')} />}
      </Field>
      <Field t={t} name={`${prefix}-license`} label={t('license')} hint={t('licenseHint')} error={failure?.fields.license ? t(pressErrorKey(failure.fields.license)) : undefined}>
        {(aria) => <input {...aria} type="text" name="license" maxLength={200} defaultValue={value('license', initial?.license ?? '')} />}
      </Field>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
