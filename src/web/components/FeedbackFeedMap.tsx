import { pick, type Lang } from '../../platform/i18n.ts';
import type { Config } from '../../platform/config.ts';
import { casePath } from '../../modules/feedback/public-feed.ts';
import { translator } from '../i18n/define.ts';
import { feedbackFeed } from '../i18n/feedback-feed.ts';
import type { FeedItem } from './FeedbackFeed.tsx';

/**
 * The map view's map: a marker per item of this page that has a location. The list under
 * it carries the same items (and those without a location), so the map adds nothing a
 * keyboard or screen-reader user would miss.
 */

export interface MapSettings {
  tileUrl: string | null;
  attribution: string;
}

export function mapSettings(_config: Config): MapSettings {
  // Filled from MAP_TILE_URL / MAP_ATTRIBUTION once the map component lands (resident-feedback).
  return { tileUrl: null, attribution: '' };
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
  return (
    <div className="feedback-map-view">
      <p>{t('onMapCount', { n: markers.length, m: without })}</p>
      {markers.length > 0 && (settings?.tileUrl ?? null) === null && <p className="info">{t('mapUnavailable')}</p>}
      <p className="feedback-map-equivalent">{t('mapEquivalent')}</p>
    </div>
  );
}
