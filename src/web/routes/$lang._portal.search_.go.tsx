import { data, redirect } from 'react-router';
import { pageLang, type LoaderArgs } from '../server-helpers.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KINDS = new Set(['service', 'unit', 'page']);
/** Resident item paths as residentPath builds them; anything else is never redirected to. */
const ITEM_PATH = /^\/(services|units|pages)\/[\w-]+$/;

/**
 * /{lang}/search/go?qid=&kind=&id=&rank= — a result link of the results page: records the
 * click in the anonymous query log and 303-redirects to the item. The target is looked up by
 * kind and id in this tenant's index, never taken from the URL, so this is no open redirect;
 * a missing or malformed qid still reaches the item, only unlogged. It sits in the portal
 * layout (with an empty component) so a broken link gets the portal's localized 404 page.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const q = new URL(request.url).searchParams;
  const kind = q.get('kind') ?? '';
  const id = q.get('id') ?? '';
  const qid = q.get('qid') ?? '';
  const rank = Number(q.get('rank'));
  if (!KINDS.has(kind) || !UUID.test(id)) throw data({ code: 'not_found' }, { status: 404 });
  const routing = context.services.routing;
  const kindOk = kind as 'service' | 'unit' | 'page';
  const path =
    UUID.test(qid) && Number.isInteger(rank) && rank >= 1 && rank <= 100
      ? await routing.click(context.tenant.id, qid, kindOk, id, rank)
      : await routing.itemPath(context.tenant.id, kindOk, id);
  if (!path || !ITEM_PATH.test(path)) throw data({ code: 'not_found' }, { status: 404 });
  return redirect(`/${lang}${path}`, { status: 303, headers: { 'Cache-Control': 'no-store' } });
}

/** Never rendered: the loader always redirects or throws. */
export default function SearchGo() {
  return null;
}
