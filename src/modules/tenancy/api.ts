import type { ApiRoutes } from '../../server/app.ts';

/** Public tenant facts for clients (names, languages, theme, contact). */
export const tenancyApi: ApiRoutes = (app) => {
  app.get('/api/v1/tenant', async (req) => {
    const t = req.aukio.tenant;
    return {
      id: t.id,
      slug: t.slug,
      names: t.names,
      languages: t.languages,
      defaultLanguage: t.defaultLanguage,
      theme: t.theme,
      contact: t.contact,
    };
  });
};
