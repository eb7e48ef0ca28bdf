// Consumer groups with committed offsets on this topic, and their lag on it.
import { useTopicGroups } from '../../api/topics.ts';
import { ErrorView } from '../../components/error-view.tsx';
import { formatNumber } from '../../components/format.ts';
import { Link } from '../../router.tsx';

export function TopicGroups({ clusterId, topic }: { clusterId: string; topic: string }) {
  const groups = useTopicGroups(clusterId, topic);
  return (
    <div>
      <ErrorView error={groups.error} />
      <table className="table" aria-label="Consumer groups of this topic">
        <thead>
          <tr>
            <th>Group</th>
            <th className="num">Lag</th>
          </tr>
        </thead>
        <tbody>
          {(groups.data?.groups ?? []).map((g) => (
            <tr key={g.groupId}>
              <td>
                <Link to={`/groups/${encodeURIComponent(g.groupId)}`}>{g.groupId}</Link>
              </td>
              <td className="num">{formatNumber(g.lag)}</td>
            </tr>
          ))}
          {groups.data?.groups.length === 0 && (
            <tr>
              <td colSpan={2} className="empty">
                No consumer group has committed offsets on this topic.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
