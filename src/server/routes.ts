import type { ApiRoutes } from './app.ts';
import { tenancyApi } from '../modules/tenancy/api.ts';
import { samlRoutes } from '../modules/identity/saml-routes.ts';

/** Every module's API routes, mounted under /api/v1 by buildApp. */
export const apiRoutes: ApiRoutes[] = [tenancyApi, samlRoutes];
