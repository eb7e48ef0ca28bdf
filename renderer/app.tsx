// Layout and routes: sidebar (cluster picker, navigation, theme) and the screen for the URL.
import { useEffect } from 'react';
import { ApiRequestError } from './api/client.ts';
import { useClusters, useSession } from './api/cluster.ts';
import { ErrorView } from './components/error-view.tsx';
import { AclsPage } from './features/acls/acls-page.tsx';
import { ClusterPage } from './features/cluster/cluster-page.tsx';
import { ClustersPage } from './features/clusters/clusters-page.tsx';
import { GroupPage } from './features/groups/group-page.tsx';
import { GroupsPage } from './features/groups/groups-page.tsx';
import { LearnPanel } from './features/learn/learn-panel.tsx';
import { OverviewPage } from './features/overview/overview-page.tsx';
import { TopicPage } from './features/topic/topic-page.tsx';
import { TopicsPage } from './features/topics/topics-page.tsx';
import { TransactionsPage } from './features/transactions/transactions-page.tsx';
import { UsersPage } from './features/users/users-page.tsx';
import { WorkloadsPage } from './features/workloads/workloads-page.tsx';
import { Link, matchPath, useLocation } from './router.tsx';
import { useLearnStore } from './stores/learn-store.ts';
import { useUiStore } from './stores/ui-store.ts';

const NAV = [
  { to: '/', label: 'Overview', match: (p: string) => p === '/' },
  // The bundled cluster's nodes, replica map and timeline (hidden for a remote cluster).
  { to: '/cluster', label: 'Cluster', match: (p: string) => p === '/cluster', bundledOnly: true },
  { to: '/topics', label: 'Topics', match: (p: string) => p.startsWith('/topics') },
  { to: '/groups', label: 'Consumer groups', match: (p: string) => p.startsWith('/groups') },
  { to: '/transactions', label: 'Transactions', match: (p: string) => p.startsWith('/transactions') },
  { to: '/acls', label: 'ACLs', match: (p: string) => p.startsWith('/acls') },
  { to: '/users', label: 'Users', match: (p: string) => p.startsWith('/users') },
  { to: '/workloads', label: 'Workloads', match: (p: string) => p.startsWith('/workloads') },
  { to: '/clusters', label: 'Clusters', match: (p: string) => p.startsWith('/clusters') },
];

function Screen({ clusterId, pathname }: { clusterId: string; pathname: string }) {
  let m: Record<string, string> | null;
  if (pathname === '/') return <OverviewPage clusterId={clusterId} />;
  if (matchPath('/cluster', pathname)) return <ClusterPage clusterId={clusterId} />;
  if (matchPath('/topics', pathname)) return <TopicsPage clusterId={clusterId} />;
  if ((m = matchPath('/topics/:name', pathname))) return <TopicPage key={m.name} clusterId={clusterId} topic={m.name} />;
  if (matchPath('/groups', pathname)) return <GroupsPage clusterId={clusterId} />;
  if ((m = matchPath('/groups/:id', pathname))) return <GroupPage key={m.id} clusterId={clusterId} groupId={m.id} />;
  if (matchPath('/transactions', pathname)) return <TransactionsPage clusterId={clusterId} />;
  if (matchPath('/acls', pathname)) return <AclsPage clusterId={clusterId} />;
  if (matchPath('/users', pathname)) return <UsersPage clusterId={clusterId} />;
  if (matchPath('/workloads', pathname)) return <WorkloadsPage clusterId={clusterId} />;
  if (matchPath('/clusters', pathname)) return <ClustersPage />;
  return (
    <div className="page">
      <h1>Not found</h1>
      <Link to="/">Back to the overview</Link>
    </div>
  );
}

/** Opened without (or with an outdated) launch token: the static UI loads, the API refuses it. */
function NeedsToken() {
  return (
    <div className="page needs-token">
      <h1>Samsa console</h1>
      <p>
        This page needs the link printed by <code>samsa serve</code>: it carries a per-launch token. Open that link again (a restart of{' '}
        <code>samsa serve</code> prints a new one).
      </p>
    </div>
  );
}

export function App() {
  const { pathname } = useLocation();
  const session = useSession();
  const clusters = useClusters();
  const { theme, setTheme, clusterId, setClusterId } = useUiStore();
  const learn = useLearnStore();

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const list = clusters.data?.clusters ?? [];
  const selected = list.find((c) => c.id === clusterId) ?? list.find((c) => c.id === session.data?.bundledClusterId) ?? list[0];
  useEffect(() => {
    if (selected && selected.id !== clusterId) setClusterId(selected.id);
  }, [selected, clusterId, setClusterId]);

  if (session.error instanceof ApiRequestError && session.error.status === 401) return <NeedsToken />;

  return (
    <div className={learn.open && selected ? 'shell with-learn' : 'shell'}>
      <aside className="sidebar">
        <div className="brand">
          <img src="/icon.svg" alt="" width={28} height={28} />
          <span>Samsa</span>
        </div>
        <label className="cluster-picker">
          <span>Cluster</span>
          <select aria-label="Cluster" value={selected?.id ?? ''} onChange={(e) => setClusterId(e.target.value)}>
            {list.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <nav aria-label="Main">
          {NAV.filter((n) => !n.bundledOnly || (selected && selected.id === session.data?.bundledClusterId)).map((n) => (
            <Link key={n.to} to={n.to} className={n.match(pathname) ? 'active' : ''} aria-current={n.match(pathname) ? 'page' : undefined}>
              {n.label}
            </Link>
          ))}
        </nav>
        <button className={learn.open ? 'learn-toggle active' : 'learn-toggle'} aria-pressed={learn.open} onClick={() => learn.setOpen(!learn.open)}>
          Learn
        </button>
        <div className="sidebar-foot">
          <button className="ghost" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label="Toggle theme">
            {theme === 'dark' ? '☀ Light theme' : '☾ Dark theme'}
          </button>
          {session.data && <span className="muted small">v{session.data.version}</span>}
        </div>
      </aside>
      <main className="content">
        <ErrorView error={clusters.error} title="Console server" />
        {selected ? (
          <Screen clusterId={selected.id} pathname={pathname} />
        ) : pathname.startsWith('/clusters') ? (
          <ClustersPage />
        ) : clusters.data ? (
          <div className="page">
            <h1>No cluster</h1>
            <p>
              <Link to="/clusters">Add a cluster</Link> to get started.
            </p>
          </div>
        ) : null}
      </main>
      {learn.open && selected && <LearnPanel clusterId={selected.id} />}
    </div>
  );
}
