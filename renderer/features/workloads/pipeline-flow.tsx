// The flow view of a workload with stages: boxes for its producer, each topic and each stage
// (a consumer group), and between them the records per second of that hop as the console
// measured it (the producer's sends, each stage's reads and its acknowledged writes; the
// runner's rate meters over the last 3 s), with the run's totals below.
import { Fragment } from 'react';
import type { WorkloadStats } from '../../../main/contract/index.ts';
import { formatNumber } from '../../components/format.ts';
import { Link } from '../../router.tsx';

function Hop({ perSec, total, name }: { perSec: number; total: number; name: string }) {
  return (
    <div className="flow-hop" data-testid={`flow-hop:${name}`}>
      <strong>{perSec.toFixed(1)}/s</strong>
      <span aria-hidden>→</span>
      <span>{formatNumber(total)}</span>
    </div>
  );
}

function TopicBox({ topic }: { topic: string }) {
  return (
    <div className="flow-box topic">
      <div className="muted small">topic</div>
      <Link className="flow-name" to={`/topics/${encodeURIComponent(topic)}`}>
        {topic}
      </Link>
    </div>
  );
}

export function PipelineFlow({ w }: { w: WorkloadStats }) {
  return (
    <div className="flow" aria-label={`${w.title} flow`} data-learn-target={`workload-flow:${w.name}`}>
      <div className="flow-box">
        <div className="muted small">producer</div>
        <div className="flow-name">{w.title}</div>
      </div>
      <Hop name="producer" perSec={w.sentPerSec} total={w.sent} />
      <TopicBox topic={w.topic} />
      {w.stages.map((st) => (
        <Fragment key={st.group}>
          <Hop name={`${st.group}:in`} perSec={st.consumedPerSec} total={st.consumed} />
          <div className="flow-box">
            <div className="muted small">stage (group)</div>
            <Link className="flow-name" to={`/groups/${encodeURIComponent(st.group)}`}>
              {st.group}
            </Link>
          </div>
          {st.output && (
            <>
              <Hop name={`${st.group}:out`} perSec={st.writtenPerSec} total={st.written} />
              <TopicBox topic={st.output} />
            </>
          )}
        </Fragment>
      ))}
    </div>
  );
}
