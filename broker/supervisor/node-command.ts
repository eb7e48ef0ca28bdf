// `samsa node list|kill|pause|resume|stop|restart|add|remove|events [ID] [--data-dir DIR]`: drives
// the cluster that a `samsa cluster` / `samsa serve` / the app runs on that data dir, through its
// control endpoint. Output contract (one line per node, for list and after every action):
//   node <id> pid <pid> <state> listening <host:port> leaders <n> partitions <n> role <voter|observer>[ controller] uptime <d>
// (`-` for leaders/partitions when no running node answered Metadata). Errors go to stderr as one
// sentence ("node 4 does not exist", "no cluster is running on DIR") with exit code 1; a usage
// error exits 2. remove prints its plan and progress (`moving 7 partitions off node 4 ... 3/7`)
// before `node 4 removed`.

import { parseArgs } from 'node:util';
import type { NodeStatus, SupervisorEvent } from '../../main/contract/control.ts';
import type { ControlClient } from './control-client.ts';
import { ControlError } from './control-error.ts';
import { defaultDataDir } from './data-dir.ts';
import { moveLine } from './decommission.ts';

export const NODE_USAGE = `  samsa node list [--json] [--data-dir DIR]
  samsa node kill|pause|resume|stop|restart|remove ID [--data-dir DIR]
  samsa node add [--data-dir DIR]
  samsa node events [--follow] [--data-dir DIR]`;

const ACTIONS = ['kill', 'pause', 'resume', 'stop', 'restart', 'remove'] as const;
type Action = (typeof ACTIONS)[number];
const isAction = (s: string): s is Action => (ACTIONS as readonly string[]).includes(s);

export class UsageError extends Error {}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

export function nodeLine(n: NodeStatus): string {
  const count = (v: number | null) => (v === null ? '-' : String(v));
  return (
    `node ${n.id} pid ${n.pid} ${n.state} listening ${n.host}:${n.port} leaders ${count(n.leaders)} partitions ${count(n.partitions)}` +
    ` role ${n.role}${n.controller ? ' controller' : ''} uptime ${n.uptimeMs === null ? '-' : formatDuration(n.uptimeMs)}`
  );
}

export function eventLine(e: SupervisorEvent): string {
  const exit = e.signal ? ` signal ${e.signal}` : e.code !== null ? ` code ${e.code}` : '';
  return `${new Date(e.at).toISOString()} node ${e.nodeId} ${e.type}${e.pid > 0 ? ` pid ${e.pid}` : ''}${exit}`;
}

function parseId(raw: string | undefined, action: string): number {
  if (raw === undefined) throw new UsageError(`node ${action} needs a node id`);
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`node id must be a positive integer, got ${raw}`);
  return id;
}

async function follow(client: ControlClient, print: (line: string) => void): Promise<never> {
  let since = 0;
  let run = '';
  for (;;) {
    const r = await client.call('events', { since, waitMs: 30_000 });
    if (run && r.run !== run) since = 0; // a new supervisor: its numbering starts over
    else {
      for (const e of r.events) print(eventLine(e));
      since = r.next;
    }
    run = r.run;
  }
}

/** How long a removal may take to move its replicas (the supervisor gives up after 10 min). */
const REMOVE_TIMEOUT_MS = 11 * 60_000;

/**
 * remove: prints the plan ("moving 7 partitions off node 4 ..."), then the count moved so far as
 * it changes (from `list`: the partitions that still list the node), then "node 4 removed".
 */
async function remove(client: ControlClient, id: number, print: (line: string) => void, pollMs = 500): Promise<void> {
  const { moves } = await client.call('removal', { id });
  const total = moves.length;
  if (total) {
    print(`moving ${total} partition${total === 1 ? '' : 's'} off node ${id} ...`);
    for (const m of moves) print(`  ${moveLine(m)}`);
  }
  let done = false;
  const removal = client.call('remove', { id }, REMOVE_TIMEOUT_MS).finally(() => (done = true));
  let shown = -1;
  const report = (moved: number) => {
    if (moved === shown) return;
    shown = moved;
    print(`moving ${total} partition${total === 1 ? '' : 's'} off node ${id} ... ${moved}/${total}`);
  };
  if (total) report(0);
  while (total && !done) {
    await Promise.race([removal.catch(() => {}), new Promise((r) => setTimeout(r, pollMs))]);
    if (done) break;
    const left = (await client.call('list', {}).catch(() => null))?.nodes.find((n) => n.id === id)?.partitions;
    if (typeof left === 'number') report(Math.max(0, Math.min(total, total - left)));
  }
  const r = await removal;
  if (total) report(total);
  print(`node ${r.removed} removed`);
}

/** Runs `samsa node <argv>`; resolves with the exit code. */
export async function nodeCommand(argv: string[], print = (l: string) => console.log(l)): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false }, follow: { type: 'boolean', default: false } },
  });
  const [action, rawId, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (action === undefined) throw new UsageError('node needs an action: list, kill, pause, resume, stop, restart, add, remove or events');
  const known = action === 'list' || action === 'add' || action === 'events' || isAction(action);
  if (!known) throw new UsageError(`unknown action ${action}`);
  if (!isAction(action) && rawId !== undefined) throw new UsageError(`node ${action} takes no node id`);
  const id = isAction(action) ? parseId(rawId, action) : 0;
  // Loaded here, not at the top: the CLI imports this file for every command, and the client
  // parses with the control contract (zod), which only `samsa node ...` needs (decision 0033).
  const client = (await import('./control-client.ts')).ControlClient.open(values['data-dir'] ?? defaultDataDir('cluster'));

  if (action === 'list') {
    const l = await client.call('list', {});
    if (values.json) print(JSON.stringify(l, null, 2));
    else for (const n of l.nodes) print(nodeLine(n));
    if (l.metadataError && !values.json) console.error(`samsa: leaders and partitions unknown: ${l.metadataError}`);
  } else if (action === 'add') {
    print(nodeLine((await client.call('add', {})).node));
  } else if (action === 'events') {
    if (values.follow) await follow(client, print);
    for (const e of (await client.call('events', { since: 0 })).events) print(eventLine(e));
  } else {
    if (action === 'remove') await remove(client, id, print);
    else print(nodeLine((await client.call(action, { id })).node));
  }
  return 0;
}

/** `samsa node ...` as a process: prints errors as sentences and sets the exit code. */
export async function runNodeCommand(argv: string[]): Promise<number> {
  try {
    return await nodeCommand(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`samsa: ${e.message}\nusage:\n${NODE_USAGE}`);
      return 2;
    }
    if (e instanceof ControlError) {
      console.error(`samsa: ${e.message}`);
      return 1;
    }
    if (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`samsa: ${e.message}\nusage:\n${NODE_USAGE}`);
      return 2;
    }
    console.error(`samsa: ${(e as Error).message}`);
    return 1;
  }
}
