// Consumer groups of the cluster with state, members and total lag.
import { useCallback, useState } from 'react';
import type { GroupSummary } from '../../../main/contract/index.ts';
import { useGroups } from '../../api/groups.ts';
import { ErrorView } from '../../components/error-view.tsx';
import { formatNumber } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { useSort } from '../../components/use-sort.ts';
import { Link } from '../../router.tsx';
import { GroupState } from './group-state.tsx';

type Col = 'groupId' | 'state' | 'members' | 'lag';

export function GroupsPage({ clusterId }: { clusterId: string }) {
  const groups = useGroups(clusterId);
  const [filter, setFilter] = useState('');
  const rows = (groups.data?.groups ?? []).filter((g) => g.groupId.toLowerCase().includes(filter.trim().toLowerCase()));
  const get = useCallback((g: GroupSummary, k: Col) => g[k], []);
  const { sorted, toggle, indicator, ariaSort } = useSort<GroupSummary, Col>(rows, 'groupId', get);
  const head = (k: Col, label: string, num = false) => (
    <th aria-sort={ariaSort(k)} className={num ? 'num' : ''}>
      <button className="sort" onClick={() => toggle(k)}>
        {label}
        {indicator(k)}
      </button>
    </th>
  );
  return (
    <div className="page">
      <PageHeader title="Consumer groups" subtitle={groups.data ? `${groups.data.groups.length} groups` : undefined} />
      <div className="toolbar">
        <input type="search" aria-label="Filter groups" placeholder="Filter by group id…" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <ErrorView error={groups.error} />
      <table className="table" aria-label="Consumer groups">
        <thead>
          <tr>
            {head('groupId', 'Group')}
            {head('state', 'State')}
            {head('members', 'Members', true)}
            <th>Topics</th>
            {head('lag', 'Lag', true)}
          </tr>
        </thead>
        <tbody>
          {sorted.map((g) => (
            <tr key={g.groupId} data-testid="group-row">
              <td>
                <Link to={`/groups/${encodeURIComponent(g.groupId)}`}>{g.groupId}</Link>
              </td>
              <td>
                <GroupState state={g.state} />
              </td>
              <td className="num">{g.members}</td>
              <td>{g.topics.join(', ')}</td>
              <td className="num">{formatNumber(g.lag)}</td>
            </tr>
          ))}
          {groups.data && sorted.length === 0 && (
            <tr>
              <td colSpan={5} className="empty">
                No consumer groups.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
