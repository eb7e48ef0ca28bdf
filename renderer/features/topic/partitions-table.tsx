// Per-partition placement and offsets: leader, replicas, ISR, start/end offsets, size.
import type { PartitionInfo } from '../../../main/contract/index.ts';
import { formatBytes, formatNumber } from '../../components/format.ts';

export function PartitionsTable({ partitions }: { partitions: PartitionInfo[] }) {
  return (
    <table className="table" aria-label="Partitions">
      <thead>
        <tr>
          <th className="num">Partition</th>
          <th className="num">Leader</th>
          <th>Replicas</th>
          <th>In-sync replicas</th>
          <th className="num">Start offset</th>
          <th className="num">End offset</th>
          <th className="num">Messages</th>
          <th className="num">Size</th>
        </tr>
      </thead>
      <tbody>
        {partitions.map((p) => {
          const under = p.isr.length < p.replicas.length;
          return (
            <tr key={p.partition}>
              <td className="num">{p.partition}</td>
              <td className="num">
                {p.leader < 0 ? (
                  <span className="badge bad" title={p.error ?? undefined}>
                    offline
                  </span>
                ) : (
                  p.leader
                )}
              </td>
              <td>
                {p.replicas.map((r, i) => (
                  <span key={r}>
                    {i > 0 && ', '}
                    {r}
                    {p.offlineReplicas.includes(r) && <span className="badge bad">down</span>}
                  </span>
                ))}
              </td>
              <td>
                {p.isr.join(', ')} {under && <span className="badge warn">under-replicated</span>}
              </td>
              <td className="num mono">{formatNumber(p.startOffset)}</td>
              <td className="num mono">{formatNumber(p.endOffset)}</td>
              <td className="num">{p.startOffset === null || p.endOffset === null ? '—' : formatNumber(p.endOffset - p.startOffset)}</td>
              <td className="num">{formatBytes(p.sizeBytes)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
