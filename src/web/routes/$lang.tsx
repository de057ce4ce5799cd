import { Outlet } from 'react-router';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';

/** Every page lives under /fi, /sv or /en; a language the tenant has not enabled is a 404. */
export function loader({ context, params }: LoaderArgs) {
  pageLang(context, params);
  return null;
}

export default function LangLayout() {
  return <Outlet />;
}
