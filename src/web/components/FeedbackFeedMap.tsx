import { pick, type Lang } from '../../platform/i18n.ts';
import type { Config } from '../../platform/config.ts';
import { casePath } from '../../modules/feedback/public-feed.ts';
import { translator } from '../i18n/define.ts';
import { feedbackFeed } from '../i18n/feedback-feed.ts';
import type { FeedItem } from './FeedbackFeed.tsx';
import { FeedbackMap } from './FeedbackMap.tsx';

/**
 * The map view's map: a marker per item of this page that has a location. The list under
 * it carries the same items (and those without a location), so the map adds nothing a
 * keyboard or screen-reader user would miss.
 */

export interface MapSettings {
  tileUrl: string | null;
  attribution: string;
}

/** The tile source from config; 'none' switches maps off and the list stands alone. */
export function mapSettings(config: Pick<Config, 'MAP_TILE_URL' | 'MAP_ATTRIBUTION'>): MapSettings {
  return { tileUrl: config.MAP_TILE_URL === 'none' ? null : config.MAP_TILE_URL, attribution: config.MAP_ATTRIBUTION };
}

/** Centre and zoom that show every marker: the middle of their bounding box, zoomed to its size. */
export function frame(points: { lat: number; lon: number }[]): { center: { lat: number; lon: number }; zoom: number } {
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const center = { lat: (minLat + maxLat) / 2, lon: (minLon + maxLon) / 2 };
  // Degrees of longitude shrink towards the poles (at 61° N to about half).
  const span = Math.max(maxLat - minLat, (maxLon - minLon) * Math.cos((center.lat * Math.PI) / 180));
  const zoom = span <= 0 ? 15 : Math.max(4, Math.min(15, Math.floor(Math.log2(180 / span))));
  return { center, zoom };
}

export function FeedMap({ items, lang, fallback, settings }: { items: FeedItem[]; lang: Lang; fallback: Lang; settings: MapSettings | null }) {
  const t = translator(feedbackFeed, lang);
  const markers = items
    .filter((i) => i.lat !== null && i.lon !== null)
    .map((i) => ({
      id: String(i.number),
      lat: i.lat!,
      lon: i.lon!,
      title: `${pick(i.categoryNames, lang, [fallback]).text} – ${t('number', { n: i.number })}`,
      href: casePath(lang, i.number),
    }));
  const without = items.length - markers.length;
  const tileUrl = settings?.tileUrl ?? null;
  const hrefByTitle = new Map(markers.map((m) => [m.title, m.href]));
  /*
   * Leaflet makes each marker a focusable role=button, but fires only a 'keypress' event for
   * Enter on it (a click handler never runs), and nothing for Space. A button must work from
   * the keyboard, so Enter and Space on a marker open its case here. Titles are unique: they
   * hold the case number.
   */
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const el = e.target as HTMLElement;
    if ((e.key !== 'Enter' && e.key !== ' ') || !el.classList.contains('map-marker')) return;
    const href = hrefByTitle.get(el.getAttribute('title') ?? '');
    if (!href) return;
    e.preventDefault();
    window.location.assign(href);
  };
  return (
    <div className="feedback-map-view" onKeyDown={onKeyDown}>
      {markers.length > 0 && tileUrl && (
        <>
          {/* The map renders nothing until Leaflet has loaded, so without JavaScript this says why. */}
          <noscript>
            <p className="info">{t('mapNeedsJs')}</p>
          </noscript>
          <FeedbackMap label={t('mapLabel')} {...frame(markers)} markers={markers} tileUrl={tileUrl} attribution={settings?.attribution ?? ''} />
        </>
      )}
      {markers.length > 0 && !tileUrl && <p className="info">{t('mapUnavailable')}</p>}
      <p>{t('onMapCount', { n: markers.length, m: without })}</p>
      <p className="feedback-map-equivalent">{t('mapEquivalent')}</p>
    </div>
  );
}
