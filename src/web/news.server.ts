import { data, redirect } from 'react-router';
import { itemPath } from '../modules/newsroom/model.ts';
import { toPage } from '../modules/newsroom/public-view.ts';
import { narrowLanguages } from './catalog-cache.ts';
import { pageLang, type LoaderArgs } from './server-helpers.ts';

/**
 * The loader of an item's page, under /{lang}/news/{slug} and /{lang}/press/{slug} (press
 * releases' permalinks). An item is also found by its id; any address other than the
 * item's own permalink in this language redirects there (301), so every item has one URL
 * per language. Not published, not public, or not written in the language → the portal's 404.
 */
export async function newsItemLoader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const tenantId = context.tenant.id;
  const news = context.services.newsroom;
  const item = await news.publicGet(tenantId, params.slug ?? '');
  if (!item || !item.title[lang]?.trim()) throw data({ code: 'not_found' }, { status: 404 });
  const canonical = itemPath(lang, item);
  if (new URL(request.url).pathname !== canonical) throw redirect(canonical, 301);
  const fallback = context.tenant.defaultLanguage;
  const topics = await news.topics(tenantId);
  const page = await toPage(context.services.db, tenantId, item, lang, fallback, topics);
  return { lang, fallback, page: narrowLanguages(page, [lang, fallback]) };
}
