import { useEffect, useRef, useState } from 'react';
import 'leaflet/dist/leaflet.css';
import type * as Leaflet from 'leaflet';

export interface MapPoint {
  lat: number;
  lon: number;
}

export interface MapMarker extends MapPoint {
  id: string;
  title: string;
  href?: string;
}

export interface FeedbackMapProps {
  /** The map's accessible name, e.g. "Map of feedback locations". */
  label: string;
  center: MapPoint;
  zoom?: number;
  markers?: MapMarker[];
  /** The resident's chosen location (the form); null = none yet. */
  pin?: MapPoint | null;
  /** Makes the map a picker: a click, or Enter on the focused map (its centre), chooses a point. */
  onPick?: (p: MapPoint) => void;
  /** Tile URL template ({z}/{x}/{y}); null = maps are off and nothing map-like renders. */
  tileUrl: string | null;
  attribution: string;
  /** Optional visible help under the map (e.g. how to pick with the keyboard). */
  help?: string;
  className?: string;
}

/**
 * A Leaflet map, only ever an extra: every page that shows one also has an equivalent
 * (the address field, the list of cases), because a map alone is neither keyboard- nor
 * screen-reader-friendly enough. Leaflet touches window on import, so it is loaded in an
 * effect: the server render (and a browser without JavaScript) gets only an empty box
 * that stays hidden until the map is ready.
 *
 * Keyboard: the map container is focusable and named by `label`; arrow keys pan, +/- zoom
 * (Leaflet's own), Enter picks the centre when `onPick` is given; markers are buttons in the
 * tab order and Enter opens their link.
 */
export function FeedbackMap({ label, center, zoom = 15, markers = [], pin = null, onPick, tileUrl, attribution, help, className }: FeedbackMapProps) {
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<Leaflet.Map | null>(null);
  const lib = useRef<typeof Leaflet | null>(null);
  const layer = useRef<Leaflet.LayerGroup | null>(null);
  const pinMarker = useRef<Leaflet.Marker | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const [ready, setReady] = useState(false);

  useEffect(() => {
    if (!tileUrl || !box.current) return;
    let cancelled = false;
    let created: Leaflet.Map | null = null;
    void import('leaflet').then((mod) => {
      const L = ((mod as unknown as { default?: typeof Leaflet }).default ?? mod) as typeof Leaflet;
      if (cancelled || !box.current) return;
      lib.current = L;
      created = L.map(box.current, { center: [center.lat, center.lon], zoom, keyboard: true, attributionControl: true });
      created.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
      L.tileLayer(tileUrl, { attribution, maxZoom: 19 }).addTo(created);
      layer.current = L.layerGroup().addTo(created);
      created.on('click', (e: Leaflet.LeafletMouseEvent) => pick.current?.({ lat: round(e.latlng.lat), lon: round(e.latlng.lng) }));
      box.current.addEventListener('keydown', (e) => {
        // Only the map itself: Enter on a marker button opens the marker.
        if (e.target !== box.current || e.key !== 'Enter' || !pick.current || !created) return;
        e.preventDefault();
        const c = created.getCenter();
        pick.current({ lat: round(c.lat), lon: round(c.lng) });
      });
      map.current = created;
      setReady(true);
    });
    return () => {
      cancelled = true;
      created?.remove();
      map.current = null;
      layer.current = null;
      pinMarker.current = null;
      setReady(false);
    };
    // The map is made once per tile source; centre/zoom changes move it below.
  }, [tileUrl]);

  useEffect(() => {
    // The box was hidden while Leaflet measured it: measure again now that it shows.
    if (ready && map.current) map.current.invalidateSize();
  }, [ready]);

  useEffect(() => {
    if (ready && map.current) map.current.setView([center.lat, center.lon], map.current.getZoom() || zoom);
  }, [ready, center.lat, center.lon]);

  useEffect(() => {
    const L = lib.current;
    if (!ready || !L || !layer.current) return;
    layer.current.clearLayers();
    for (const m of markers) {
      const marker = L.marker([m.lat, m.lon], {
        title: m.title,
        alt: m.title,
        keyboard: true,
        icon: L.divIcon({ className: 'map-marker', iconSize: [22, 22], iconAnchor: [11, 11] }),
      });
      if (m.href) {
        const href = m.href;
        marker.on('click', () => window.location.assign(href));
      }
      marker.addTo(layer.current);
    }
  }, [ready, markers]);

  useEffect(() => {
    const L = lib.current;
    if (!ready || !L || !map.current) return;
    pinMarker.current?.remove();
    pinMarker.current = null;
    if (pin) {
      pinMarker.current = L.marker([pin.lat, pin.lon], {
        keyboard: false,
        interactive: false,
        icon: L.divIcon({ className: 'map-pin', iconSize: [26, 26], iconAnchor: [13, 26] }),
      }).addTo(map.current);
    }
  }, [ready, pin?.lat, pin?.lon]);

  if (!tileUrl) return null;
  return (
    <div className={`feedback-map${className ? ` ${className}` : ''}`} hidden={!ready}>
      <div ref={box} className="feedback-map-canvas" role="region" aria-label={label} />
      {help && <p className="hint">{help}</p>}
    </div>
  );
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
