import type { RouteConfig } from '@react-router/dev/routes';
import { flatRoutes } from '@react-router/fs-routes';

// File-based routes (src/web/routes): each module adds its pages as files, no central list.
export default flatRoutes() satisfies RouteConfig;
