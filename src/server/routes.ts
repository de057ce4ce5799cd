import type { ApiRoutes } from './app.ts';
import { tenancyApi } from '../modules/tenancy/api.ts';
import { preferencesApi } from '../modules/identity/preferences.ts';
import { realtimeApi } from './realtime.ts';

/** Every module's API routes, mounted under /api/v1 by buildApp. */
export const apiRoutes: ApiRoutes[] = [tenancyApi, preferencesApi, realtimeApi];
