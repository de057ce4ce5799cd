import type { LoaderArgs } from '../server-helpers.ts';
import { redirect } from 'react-router';
import { negotiateLanguage } from '../../platform/i18n.ts';

/** /staff (and anything under it without a language) goes to the console in the best language. */
export function loader({ request, context }: LoaderArgs) {
  const { tenant } = context;
  const lang = negotiateLanguage(request.headers.get('accept-language') ?? undefined, tenant.languages, tenant.defaultLanguage);
  const url = new URL(request.url);
  return redirect(`/${lang}${url.pathname}${url.search}`);
}
