import { data } from 'react-router';
import { PortalNotFound } from '../components/PortalNotFound.tsx';

/** Unknown resident paths: a 404 inside the portal, so the header and search remain. */
export function loader() {
  throw data({ code: 'not_found' }, { status: 404 });
}

export function ErrorBoundary() {
  return <PortalNotFound />;
}

export default function NotFound() {
  return null;
}
