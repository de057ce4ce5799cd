import { Outlet } from 'react-router';
import { PortalShell } from '../components/PortalShell.tsx';

/** Pathless layout for every resident page: header, search, footer, landmarks. */
export default function PortalLayout() {
  return (
    <PortalShell>
      <Outlet />
    </PortalShell>
  );
}
