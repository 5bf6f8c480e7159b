// Placeholder shell: replaced by the shell's owner.
import { Outlet } from 'react-router';

export function AppShell() {
  return <Outlet />;
}
