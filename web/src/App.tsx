// Routes. Every page's state that a link should carry (filters, selected
// node, tab) lives in the URL. Pages under the shell need a session. The
// execution detail and log pages (the DAG, the log viewer and their heavy
// libraries) and every page but the dashboard and the executions list load on
// first use, so the first page stays small.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { DashboardPage } from './pages/DashboardPage';
import { ExecutionsPage } from './pages/ExecutionsPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { AppShell } from './shell/AppShell';
import { SkeletonRows } from './ui/Skeleton';

const ExecutionDetailPage = lazy(() => import('./pages/ExecutionDetailPage').then((m) => ({ default: m.ExecutionDetailPage })));
const NodeLogPage = lazy(() => import('./pages/NodeLogPage').then((m) => ({ default: m.NodeLogPage })));
const ApprovalsPage = lazy(() => import('./pages/ApprovalsPage').then((m) => ({ default: m.ApprovalsPage })));
const EnvironmentsPage = lazy(() => import('./pages/EnvironmentsPage').then((m) => ({ default: m.EnvironmentsPage })));
const DeploymentDetailPage = lazy(() => import('./pages/DeploymentDetailPage').then((m) => ({ default: m.DeploymentDetailPage })));
const AuditPage = lazy(() => import('./pages/AuditPage').then((m) => ({ default: m.AuditPage })));
const SettingsPage = lazy(() => import('./pages/SettingsPage').then((m) => ({ default: m.SettingsPage })));
const PipelinesPage = lazy(() => import('./pages/PipelinesPage').then((m) => ({ default: m.PipelinesPage })));
const PipelineBuilderPage = lazy(() => import('./pages/PipelineBuilderPage').then((m) => ({ default: m.PipelineBuilderPage })));
const AgentsPage = lazy(() => import('./agents/AgentsPage').then((m) => ({ default: m.AgentsPage })));

// Pages that load on first use: [path, element].
const LAZY_ROUTES: [string, ReactNode][] = [
  ['executions/:id', <ExecutionDetailPage />],
  ['executions/:id/nodes/:nodeId/logs', <NodeLogPage />],
  ['approvals', <ApprovalsPage />],
  ['environments', <EnvironmentsPage />],
  ['projects/:projectId/environments', <EnvironmentsPage />],
  ['deployments/:id', <DeploymentDetailPage />],
  ['audit', <AuditPage />],
  ['settings', <SettingsPage />],
  ['settings/:section', <SettingsPage />],
  ['pipelines', <PipelinesPage />],
  ['pipelines/new', <PipelineBuilderPage />],
  ['pipelines/:id/edit', <PipelineBuilderPage />],
  ['agents', <AgentsPage />],
];

const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 10_000, retry: 1, refetchOnWindowFocus: false } },
});

function Later({ children }: { children: ReactNode }) {
  return <Suspense fallback={<SkeletonRows rows={8} label="Loading page" />}>{children}</Suspense>;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route element={<AppShell />}>
            <Route index element={<DashboardPage />} />
            <Route path="executions" element={<ExecutionsPage />} />
            {LAZY_ROUTES.map(([path, element]) => (
              <Route key={path} path={path} element={<Later>{element}</Later>} />
            ))}
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
