/**
 * An allowed embedding origin: https://host[:port], or plain http for loopback and
 * *.localhost (development). No path, no wildcard: it is written into frame-ancestors.
 */
export function normalizeOrigin(raw: string): string | null {
  const v = raw.trim();
  if (!v || v.length > 200) return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return null;
  }
  if (u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return null;
  if (v.replace(/\/$/, '') !== u.origin) return null;
  const host = u.hostname;
  if (!/^[a-z0-9.-]+$|^\[::1\]$/.test(host)) return null;
  const loopback = host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]';
  if (u.protocol === 'https:') return u.origin;
  if (u.protocol === 'http:' && loopback) return u.origin;
  return null;
}
