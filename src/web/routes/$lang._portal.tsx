import { Outlet, useLoaderData } from 'react-router';
import { PortalShell } from '../components/PortalShell.tsx';
import type { LoaderArgs } from '../server-helpers.ts';

/** Whether the chat widget is offered (inbox settings; a change bumps the content version, so cached pages follow). */
export async function loader({ context }: LoaderArgs) {
  const settings = await context.services.chat.settings(context.services.db, context.tenant.id);
  return { chatEnabled: settings.chatEnabled };
}

/** Pathless layout for every resident page: header, search, footer, landmarks. */
export default function PortalLayout() {
  const data = useLoaderData<typeof loader>() as { chatEnabled: boolean } | undefined;
  return (
    <PortalShell chatEnabled={data?.chatEnabled ?? true}>
      <Outlet />
    </PortalShell>
  );
}
