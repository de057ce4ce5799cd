import { data } from 'react-router';

/** Any unknown path renders the localized 404 page through the root error boundary. */
export function loader() {
  throw data({ code: 'not_found' }, { status: 404 });
}

export default function NotFound() {
  return null;
}
