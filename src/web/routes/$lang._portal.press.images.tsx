import { useLoaderData } from 'react-router';
import { formatBytes, publicImage } from '../../modules/newsroom/public-view.ts';
import { catalogPageHeaders } from '../catalog-cache.ts';
import { Breadcrumbs } from '../components/Catalog.tsx';
import { shortType } from '../components/NewsItemView.tsx';
import { translator } from '../i18n/define.ts';
import { newsPublic } from '../i18n/news-public.ts';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';

/**
 * The press image bank: images the media may use, each with its alt text, caption, credit
 * and license, and a link that downloads the original file.
 */
export const headers = catalogPageHeaders;

export async function loader({ context, params }: LoaderArgs) {
  const lang = pageLang(context, params);
  const fallback = context.tenant.defaultLanguage;
  const images = await context.services.newsroom.imageBank(context.tenant.id);
  return { lang, images: images.map((m) => publicImage(m, lang, fallback)) };
}

export default function ImageBankPage() {
  const { lang, images } = useLoaderData<typeof loader>();
  const t = translator(newsPublic, lang);
  return (
    <div className="image-bank">
      <title>{t('imageBankTitle')}</title>
      <Breadcrumbs label={t('breadcrumbs')} items={[{ href: `/${lang}`, node: t('home') }, { href: `/${lang}/press`, node: t('pressTitle') }, { node: t('imageBankTitle') }]} />
      <h1>{t('imageBankTitle')}</h1>
      <p className="lead">{t('imageBankIntro')}</p>
      {images.length === 0 ? (
        <p>{t('imageBankEmpty')}</p>
      ) : (
        <ul className="image-bank-grid plain">
          {images.map((img) => (
            <li key={img.id} className="image-bank-item">
              <figure>
                <img src={img.url} alt={img.alt.text} lang={img.alt.lang !== lang ? img.alt.lang : undefined} loading="lazy" width={480} height={300} />
                <figcaption>
                  {img.caption.text && <span lang={img.caption.lang !== lang ? img.caption.lang : undefined}>{img.caption.text}</span>}
                  {img.credit && <span className="news-credit"> {t('photoCredit', { credit: img.credit })}</span>}
                </figcaption>
              </figure>
              {img.license && <p className="image-bank-license">{t('license', { license: img.license })}</p>}
              <p>
                <a className="button" href={`${img.url}?download=1`} download={img.filename}>
                  {t('downloadOriginal')}
                  <span className="visually-hidden">: {img.filename}</span>
                </a>{' '}
                <span className="hint">({t('fileInfo', { type: shortType(img.contentType), size: formatBytes(img.size, lang) })})</span>
              </p>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={`/${lang}/press`}>{t('pressTitle')}</a>
      </p>
    </div>
  );
}
