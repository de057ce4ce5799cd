import { useRouteLoaderData } from 'react-router';
import type { RootData } from '../root.tsx';

/** Hidden field every state-changing form carries; the server rejects posts without it. */
export function CsrfField() {
  const root = useRouteLoaderData('root') as RootData | undefined;
  return <input type="hidden" name="_csrf" value={root?.csrfToken ?? ''} />;
}
