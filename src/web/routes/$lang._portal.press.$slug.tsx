import { PortalNotFound } from '../components/PortalNotFound.tsx';
import { NewsItemView } from '../components/NewsItemView.tsx';
import { catalogPageHeaders } from '../catalog-cache.ts';
import { newsItemLoader } from '../news.server.ts';

/** An item's page: a press release's permalink (itemPath). */
export const headers = catalogPageHeaders;
export const loader = newsItemLoader;

export function ErrorBoundary() {
  return <PortalNotFound />;
}

export default NewsItemView;
