// The metrics ports of a local cluster, for `samsa cluster` and `samsa serve`: node N serves
// GET /metrics on base+N-1. Default base: 100 above the Kafka base port (9192.. for 9092..), the
// next free block if that one is taken, said in one line; --metrics-port P asks for P.

import { findFreeBlock } from '../supervisor/ports.ts';
import type { NodeInfo } from '../supervisor/supervisor.ts';
import { METRICS_HOST } from './http-server.ts';

export const METRICS_PORT_OFFSET = 100;

/** The first metrics port; `requested` is the raw --metrics-port value, if given. */
export async function chooseMetricsBase(
  requested: string | undefined,
  kafkaBase: number,
  nodes: number,
  say: (line: string) => void,
): Promise<number> {
  const want = requested === undefined ? kafkaBase + METRICS_PORT_OFFSET : Number(requested);
  if (!Number.isInteger(want) || want < 1 || want + nodes - 1 > 65535)
    throw new Error(`--metrics-port must be a TCP port with room for ${nodes} node(s), got ${requested}`);
  if (want < kafkaBase + nodes && want + nodes > kafkaBase)
    throw new Error(
      `--metrics-port ${want}: the block ${want}-${want + nodes - 1} overlaps the Kafka ports ${kafkaBase}-${kafkaBase + nodes - 1}`,
    );
  let base = await findFreeBlock(want, nodes, METRICS_HOST);
  // The search walks upwards and may land on the Kafka ports of a cluster not started yet.
  if (base < kafkaBase + nodes && base + nodes > kafkaBase)
    base = await findFreeBlock(kafkaBase + nodes, nodes, METRICS_HOST);
  if (base !== want)
    say(`metrics port ${want} is taken; using ${base}${nodes > 1 ? `-${base + nodes - 1}` : ''} instead`);
  return base;
}

/** `node <id> metrics <url>`, one per node with an endpoint (the CLI's output contract). */
export function metricsLines(nodes: NodeInfo[]): string[] {
  return nodes.filter((n) => n.metricsUrl).map((n) => `node ${n.id} metrics ${n.metricsUrl}`);
}
