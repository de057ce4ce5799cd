import type { ApiRoutes } from '../../server/app.ts';
import { requireRoleOrScope } from '../identity/access.ts';
import { importPtvCatalog, listImportRuns } from './ptv-import.ts';

/**
 * PTV import for integrations (API token with scope catalog:import) and for the console's
 * upload (a communications staff session, with the CSRF header):
 *
 * - POST /api/v1/catalog/import — body: the PTV document as application/json, up to
 *   CATALOG_IMPORT_MAX_BYTES (this route only; the global BODY_LIMIT stays). 200 with the
 *   report; 422 invalid_catalog with errors [{path, message}] and nothing imported.
 * - GET /api/v1/catalog/import-runs — the tenant's recent runs, newest first.
 */
export const catalogImportApi: ApiRoutes = (app, services) => {
  app.post(
    '/api/v1/catalog/import',
    {
      bodyLimit: services.config.CATALOG_IMPORT_MAX_BYTES,
      // Who may import is settled before a body of many megabytes is read and parsed.
      preParsing: async (req, _reply, payload) => {
        requireRoleOrScope(req.aukio.actor, 'communications', 'catalog:import');
        return payload;
      },
    },
    async (req) => {
      const { actor, tenant } = req.aukio;
      requireRoleOrScope(actor, 'communications', 'catalog:import');
      // A staff session here is the console's upload (its JavaScript posts the file here).
      return importPtvCatalog(services, tenant.id, req.body, { source: actor.kind === 'api_token' ? 'api' : 'upload', actor });
    },
  );

  app.get('/api/v1/catalog/import-runs', async (req) => {
    const { actor, tenant } = req.aukio;
    requireRoleOrScope(actor, 'communications', 'catalog:import');
    return { runs: await listImportRuns(services.db, tenant.id, 50) };
  });
};
