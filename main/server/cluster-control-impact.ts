// What a node action will do, computed from the cluster state now (the metadata log's partitions
// and brokers, the supervisor's node states), for the confirmation the user reads before it
// runs: which partitions elect new leaders (and which replica the controller will pick, as it
// does: the first replica in assignment order that is in sync and live), which go offline
// (no other in-sync replica: RF 1, or an ISR already down to this node), which ISRs shrink
// below min.insync.replicas (acks=all producers then get NOT_ENOUGH_REPLICAS), and what the
// metadata quorum can still survive; for a removal, which replicas move where (the supervisor's
// own plan, broker/supervisor/decommission.ts). The supervisor's own refusals (a voter cannot be
// removed, a partition would be left short of replicas) are stated before the user tries.
import { decommissionPlan, moveLine } from '../../broker/supervisor/decommission.ts';
import type { ClusterState, Impact, ImpactAction, PartitionRow } from '../contract/cluster-control.ts';

type Input = Pick<ClusterState, 'nodes' | 'partitions' | 'controllerId' | 'quorum'>;

const names = (ps: PartitionRow[], max = 4) => {
  const shown = ps.slice(0, max).map((p) => `${p.topic}-${p.partition}`);
  return ps.length > max ? `${shown.join(', ')} and ${ps.length - max} more` : shown.join(', ');
};
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const LIVE_STATES = new Set(['starting', 'running', 'paused', 'stopping']);

/** The controller's pick when `gone` leaves: the first replica that is in sync and live. */
function nextLeader(p: PartitionRow, gone: number, live: Set<number>): number | undefined {
  return p.replicas.find((r) => r !== gone && p.isr.includes(r) && live.has(r));
}

/** Consequences of node `id` going away (killed, stopped, paused). */
function departure(s: Input, id: number): { lines: string[]; danger: boolean; warning: boolean } {
  const live = new Set(s.nodes.filter((n) => n.state === 'running' && n.fenced !== true && n.id !== id).map((n) => n.id));
  const lines: string[] = [];
  let danger = false;
  const led = s.partitions.filter((p) => p.leader === id);
  const moving = led.filter((p) => nextLeader(p, id, live) !== undefined);
  const offline = led.filter((p) => nextLeader(p, id, live) === undefined);
  if (moving.length) {
    const examples = moving.slice(0, 3).map((p) => `${p.topic}-${p.partition} → node ${nextLeader(p, id, live)}`);
    lines.push(`${plural(moving.length, 'partition')} led by node ${id} will elect new leaders (${examples.join(', ')}${moving.length > 3 ? ', …' : ''}).`);
  }
  for (const p of offline.slice(0, 5)) {
    danger = true;
    lines.push(
      p.replicas.length === 1
        ? `Partition ${p.topic}-${p.partition} has RF 1 on node ${id} and will go offline: no reads or writes until node ${id} is back.`
        : `Partition ${p.topic}-${p.partition} has no other live in-sync replica (ISR [${p.isr.join(', ')}]) and will go offline until node ${id} is back.`,
    );
  }
  if (offline.length > 5) lines.push(`${offline.length - 5} more partitions will go offline.`);
  const shrinking = s.partitions.filter((p) => p.leader >= 0 && p.leader !== id && p.isr.includes(id));
  if (shrinking.length)
    lines.push(`${plural(shrinking.length, 'partition')} will drop node ${id} from their ISR and be under-replicated until it catches up again.`);
  const belowMin = [...moving, ...shrinking].filter((p) => p.isr.filter((r) => r !== id).length < p.minInsyncReplicas);
  if (belowMin.length)
    lines.push(`acks=all producers to ${names(belowMin)} will get NOT_ENOUGH_REPLICAS: fewer in-sync replicas than min.insync.replicas.`);
  if (s.controllerId === id) lines.push(`Node ${id} is the active controller: the remaining voters elect a new one.`);
  const node = s.nodes.find((n) => n.id === id);
  if (node?.role === 'voter') {
    const left = s.nodes.filter((n) => n.role === 'voter' && n.id !== id && n.state === 'running').length;
    const { majority, voters } = s.quorum;
    if (left < majority) {
      danger = true;
      lines.push(
        `The metadata quorum loses its majority (${left} of ${voters.length} voters left, ${majority} needed): no controller, so no leader elections, fencing or topic changes until a voter returns.`,
      );
    } else if (left === majority)
      lines.push(`The metadata quorum keeps working with ${left} of ${voters.length} voters, but cannot lose another one.`);
  }
  if (lines.length === 0) lines.push(`Node ${id} leads no partition and is in no ISR: clients will not notice.`);
  return { lines, danger, warning: moving.length + shrinking.length > 0 || s.controllerId === id };
}

export function impactOf(s: Input, action: ImpactAction, id: number | null): Impact {
  const base = { action, nodeId: id, refusal: null };
  if (action === 'add') {
    const next = Math.max(0, ...s.nodes.map((n) => n.id)) + 1;
    const { voters, majority } = s.quorum;
    return {
      ...base,
      nodeId: null,
      severity: 'info',
      summary: `Add node ${next}: a new broker process joins the cluster.`,
      consequences: [
        `Node ${next} is a broker, not a metadata voter: the quorum keeps its ${voters.length} voters (nodes ${voters.join(', ')}) and still survives ${voters.length - majority} voter failure${voters.length - majority === 1 ? '' : 's'}, however many brokers are added.`,
        'It hosts no partitions until a topic is created with replicas on it.',
      ],
    };
  }
  const node = id === null ? undefined : s.nodes.find((n) => n.id === id);
  if (id === null || !node) return { ...base, severity: 'info', summary: `Node ${id} does not exist.`, consequences: [], refusal: `node ${id} does not exist` };
  const refuse = (refusal: string): Impact => ({ ...base, severity: 'info', summary: refusal.charAt(0).toUpperCase() + refusal.slice(1) + '.', consequences: [], refusal });
  const live = LIVE_STATES.has(node.state);
  const hosted = s.partitions.filter((p) => p.replicas.includes(id));
  const gone = () => departure(s, id);
  const severity = (d: { danger: boolean; warning: boolean }) => (d.danger ? 'danger' : d.warning ? 'warning' : 'info');
  switch (action) {
    case 'kill': {
      if (!live) return refuse(`node ${id} is already ${node.state}`);
      const d = gone();
      return { ...base, severity: severity(d), summary: `Kill -9 node ${id} (pid ${node.pid}): the process dies at once, as in a crash. Its data stays on disk.`, consequences: d.lines };
    }
    case 'stop': {
      if (!live) return refuse(`node ${id} is already ${node.state}`);
      const d = gone();
      return {
        ...base,
        severity: severity(d),
        summary: `Stop node ${id} gracefully (SIGTERM): it hands its leadership over first (controlled shutdown), then exits.`,
        consequences: d.lines,
      };
    }
    case 'pause': {
      if (node.state === 'paused') return refuse(`node ${id} is already paused`);
      if (node.state !== 'running') return refuse(`node ${id} is ${node.state}; only a running node can be paused`);
      const d = gone();
      return {
        ...base,
        severity: severity(d),
        summary: `Pause node ${id} (SIGSTOP): the process freezes with its connections open. It stops answering and heartbeating; the controller fences it after the broker session timeout.`,
        consequences: [...d.lines, `Clients talking to node ${id} wait for their request timeouts before they try another broker.`],
      };
    }
    case 'resume':
      if (node.state !== 'paused') return refuse(`node ${id} is not paused (it is ${node.state})`);
      return {
        ...base,
        severity: 'info',
        summary: `Resume node ${id} (SIGCONT): it answers and heartbeats again.`,
        consequences: [`It is unfenced and rejoins the ISR of its ${plural(hosted.length, 'partition')} as each catches up.`],
      };
    case 'restart': {
      const d = node.state === 'running' ? gone() : { lines: [], danger: false, warning: false };
      return {
        ...base,
        severity: severity(d),
        summary: node.state === 'running' ? `Restart node ${id}: a graceful stop, then a new process on the same data.` : `Start node ${id} again on its data.`,
        consequences: [
          ...d.lines,
          `It registers with the controller, catches up and rejoins the ISR of its ${plural(hosted.length, 'partition')}.`,
          'Partitions that moved away keep their new leaders until a preferred leader election moves them back.',
        ],
      };
    }
    case 'remove': {
      if (node.role === 'voter')
        return refuse(`node ${id} is a voter of the metadata quorum (nodes ${s.quorum.voters.join(', ')}); the voter set is fixed, so only added nodes can be removed`);
      const brokers = s.nodes.filter((n) => n.state === 'running' && n.fenced === false).map((n) => n.id);
      const plan = decommissionPlan(s.partitions, id, brokers);
      if ('refusal' in plan) return refuse(plan.refusal);
      const { moves } = plan;
      if (moves.length === 0)
        return {
          ...base,
          severity: 'warning',
          summary: `Remove node ${id}: it is stopped, its data deleted, and its id never used again.`,
          consequences: ['It hosts no partition replica, so no data moves and nothing becomes under-replicated.'],
        };
      const led = moves.filter((m) => s.partitions.find((p) => p.topic === m.topic && p.partition === m.partition)?.leader === id).length;
      return {
        ...base,
        severity: 'warning',
        summary:
          `Remove node ${id}: ${plural(moves.length, 'partition')} move${moves.length === 1 ? 's' : ''} off it first (a reassignment: each new replica copies the data ` +
          `and joins the ISR, then node ${id} leaves), then it is stopped, its data deleted, and its id never used again.`,
        consequences: [
          ...moves.slice(0, 8).map(moveLine),
          ...(moves.length > 8 ? [`${moves.length - 8} more partitions move the same way, spread over the other brokers.`] : []),
          ...(led ? [`${plural(led, 'partition')} led by node ${id} hand over to their first remaining replica once the new replica is in sync.`] : []),
          'Producers and consumers keep working throughout; the replica map shows the new replicas catching up.',
        ],
      };
    }
  }
}
