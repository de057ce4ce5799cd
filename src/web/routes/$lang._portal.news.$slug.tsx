import { PortalNotFound } from '../components/PortalNotFound.tsx';
import { NewsItemView } from '../components/NewsItemView.tsx';
import { catalogPageHeaders } from '../catalog-cache.ts';
import { newsItemLoader } from '../news.server.ts';

/** An item's page (news and event notices; press releases live under /press). */
export const headers = catalogPageHeaders;
export const loader = newsItemLoader;

export function ErrorBoundary() {
  return <PortalNotFound />;
}

export default NewsItemView;
