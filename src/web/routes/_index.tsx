import type { LoaderArgs } from '../server-helpers.ts';
import { redirect } from 'react-router';
import { negotiateLanguage } from '../../platform/i18n.ts';

/** "/" sends the browser to its best language among the tenant's. */
export function loader({ request, context }: LoaderArgs) {
  const { tenant } = context;
  const lang = negotiateLanguage(request.headers.get('accept-language') ?? undefined, tenant.languages, tenant.defaultLanguage);
  return redirect(`/${lang}`);
}
