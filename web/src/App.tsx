// Routes. Every page's state that a link should carry (filters, selected
// node, tab) lives in the URL. Pages under the shell need a session. The
// execution detail and log pages (the DAG, the log viewer and their heavy
// libraries) load on first use, so the first page stays small.
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
            <Route
              path="executions/:id"
              element={
                <Later>
                  <ExecutionDetailPage />
                </Later>
              }
            />
            <Route
              path="executions/:id/nodes/:nodeId/logs"
              element={
                <Later>
                  <NodeLogPage />
                </Later>
              }
            />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
