import { redirect } from 'react-router';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';

/** /staff/feedback is the queue at /staff/feedback/cases (the console nav marks case pages under it). */
export function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  return redirect(`/${lang}/staff/feedback/cases${new URL(request.url).search}`);
}
