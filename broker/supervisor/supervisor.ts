// Spawns and watches the broker node processes of a local cluster. Each node is its own OS
// process (`node --import tsx broker/node.ts --node-id N ...`) with its data in
// <dataDir>/node-<N> and its log in <dataDir>/logs/node-<N>.log. The same typed API serves the
// CLI (`samsa cluster`) and the desktop console.
// The nodes the cluster was created with are the voters of the metadata quorum: the supervisor
// passes `--voters 1@host:port,...` and the cluster id to every node. addNode() starts the next
// node id with the same voters, so it runs as an observer (a broker only; KRaft-style). Deviation:
// the voter set is static (no KIP-853 dynamic voters): added nodes never become voters. The
// cluster id, the voter count and the node count are kept in <dataDir>/cluster.json so a restart
// on the same data dir brings back the same cluster, added nodes included (as observers).

import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KafkaConnection } from '../client/connection.ts';
import { Metadata } from '../protocol/messages/metadata.ts';

const NODE_ENTRY = fileURLToPath(new URL('../node.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface ClusterOptions {
  nodes: number;
  basePort: number;
  dataDir: string;
  host?: string;
  /** Extra `--flag value` arguments for every node (e.g. ['--fsync']). */
  nodeArgs?: string[];
  /** default.replication.factor of every node; min(3, nodes) by default (Kafka's is 1), since
   *  the bundled cluster exists to show replication. */
  defaultReplicationFactor?: number;
}

export type NodeState = 'starting' | 'up' | 'paused' | 'down';

export interface NodeInfo {
  id: number;
  pid: number;
  host: string;
  port: number;
  state: NodeState;
  logFile: string;
}

export interface ClusterEvents {
  node: [NodeInfo];
}

export class Cluster extends EventEmitter<ClusterEvents> {
  private procs = new Map<number, ChildProcess>();
  private infos = new Map<number, NodeInfo>();
  private stopping = false;
  readonly clusterId: string;
  /** Nodes 1..voterCount are the metadata quorum's voters (fixed at the cluster's creation). */
  readonly voterCount: number;
  /** Nodes 1..nodeCount make up the cluster; those above voterCount are observers. */
  nodeCount: number;

  constructor(private readonly opts: Required<Omit<ClusterOptions, 'nodeArgs' | 'defaultReplicationFactor'>> & { nodeArgs: string[] }) {
    super();
    const c = clusterIdentity(opts.dataDir, opts.nodes);
    this.clusterId = c.clusterId;
    this.voterCount = c.voters;
    this.nodeCount = c.nodes;
  }

  /** controller.quorum.voters: the nodes the cluster was created with. */
  get voters(): string {
    const { host, basePort } = this.opts;
    return Array.from({ length: this.voterCount }, (_, i) => `${i + 1}@${host}:${basePort + i}`).join(',');
  }

  get nodes(): NodeInfo[] {
    return [...this.infos.values()].sort((a, b) => a.id - b.id);
  }

  get bootstrap(): string {
    return this.nodes.map((n) => `${n.host}:${n.port}`).join(',');
  }

  /** Starts (or restarts) node `id` and resolves once it listens. */
  startNode(id: number): Promise<NodeInfo> {
    const { host, basePort, dataDir, nodeArgs } = this.opts;
    const port = basePort + id - 1;
    const nodeDir = path.join(dataDir, `node-${id}`);
    const logDir = path.join(dataDir, 'logs');
    fs.mkdirSync(logDir, { recursive: true });
    const logFile = path.join(logDir, `node-${id}.log`);
    const out = fs.openSync(logFile, 'a');
    const args = [
      '--node-id', String(id), '--port', String(port), '--host', host, '--data-dir', nodeDir,
      '--voters', this.voters, '--cluster-id', this.clusterId, ...nodeArgs,
    ];
    const child = fork(NODE_ENTRY, args, {
      execArgv: ['--import', TSX],
      stdio: ['ignore', out, out, 'ipc'],
    });
    fs.closeSync(out);
    this.procs.set(id, child);
    const info: NodeInfo = { id, pid: child.pid ?? -1, host, port, state: 'starting', logFile };
    this.infos.set(id, info);
    return new Promise((resolve, reject) => {
      child.once('message', (m: { type?: string }) => {
        if (m?.type !== 'listening') return;
        info.state = 'up';
        this.emit('node', info);
        resolve(info);
      });
      child.once('exit', (code, signal) => {
        if (info.state === 'starting') reject(new Error(`node ${id} exited during start (${signal ?? code}); see ${logFile}`));
        info.state = 'down';
        if (this.procs.get(id) === child) this.procs.delete(id);
        if (!this.stopping) this.emit('node', info);
      });
    });
  }

  /**
   * Adds node nodeCount+1 to the running cluster (port basePort+id-1): it starts with the
   * existing voters, so it joins as an observer, registers with the controller and can host
   * partition replicas. The new node count is persisted first, so a restart brings it back.
   * Resolves once it listens and answers Metadata listing every node.
   */
  async addNode(timeoutMs = 30000): Promise<NodeInfo> {
    const id = this.nodeCount + 1;
    this.nodeCount = id;
    saveClusterFile(this.opts.dataDir, { clusterId: this.clusterId, voters: this.voterCount, nodes: id });
    const info = await this.startNode(id);
    const deadline = Date.now() + timeoutMs;
    while (!(await answersMetadata(info.host, info.port, this.nodes.length))) {
      if (Date.now() > deadline) throw new Error(`node ${id} did not answer Metadata within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return info;
  }

  /** kill -9: the process dies at once, as in a crash. */
  kill(id: number): void {
    this.procs.get(id)?.kill('SIGKILL');
  }
  pause(id: number): void {
    const info = this.infos.get(id);
    if (!info || info.state !== 'up') return;
    this.procs.get(id)?.kill('SIGSTOP');
    info.state = 'paused';
    this.emit('node', info);
  }
  resume(id: number): void {
    const info = this.infos.get(id);
    if (!info || info.state !== 'paused') return;
    this.procs.get(id)?.kill('SIGCONT');
    info.state = 'up';
    this.emit('node', info);
  }

  /** Graceful stop of one node (SIGTERM, then SIGKILL after timeoutMs). */
  async stopNode(id: number, timeoutMs = 10000): Promise<void> {
    const child = this.procs.get(id);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    if (this.infos.get(id)?.state === 'paused') child.kill('SIGCONT');
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  async restartNode(id: number): Promise<NodeInfo> {
    await this.stopNode(id);
    return this.startNode(id);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.procs.keys()].map((id) => this.stopNode(id)));
  }

  /** Resolves once every node answers Metadata listing all nodes and a controller. */
  async waitReady(timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const n of this.nodes) {
      for (;;) {
        if (await answersMetadata(n.host, n.port, this.nodes.length)) break;
        if (Date.now() > deadline) throw new Error(`node ${n.id} did not answer Metadata within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}

interface ClusterFile {
  clusterId: string;
  /** Voter count (absent in files from before observers: every node a voter). */
  voters: number;
  nodes: number;
}

function saveClusterFile(dataDir: string, c: ClusterFile): void {
  const file = path.join(dataDir, 'cluster.json');
  fs.writeFileSync(file + '.tmp', JSON.stringify(c) + '\n');
  fs.renameSync(file + '.tmp', file);
}

/**
 * The cluster id, voter count and node count kept in <dataDir>/cluster.json (created on first
 * start). A cluster grown by addNode() may be restarted with either its original size (the
 * voters) or its current one: every node it had comes back.
 */
function clusterIdentity(dataDir: string, nodes: number): ClusterFile {
  const file = path.join(dataDir, 'cluster.json');
  if (fs.existsSync(file)) {
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ClusterFile> & { clusterId: string; nodes: number };
    const voters = c.voters ?? c.nodes;
    if (c.nodes !== nodes && voters !== nodes)
      throw new Error(`${dataDir} holds a ${c.nodes}-node cluster; start it with --nodes ${c.nodes} or use another --data-dir`);
    return { clusterId: c.clusterId, voters, nodes: c.nodes };
  }
  fs.mkdirSync(dataDir, { recursive: true });
  // A single-node data dir from before the metadata quorum stays a 1-node cluster.
  const legacy = path.join(dataDir, 'node-1', '__cluster_metadata', 'metadata.json');
  if (fs.existsSync(legacy)) {
    const clusterId = (JSON.parse(fs.readFileSync(legacy, 'utf8')) as { clusterId: string }).clusterId;
    saveClusterFile(dataDir, { clusterId, voters: 1, nodes: 1 });
    if (nodes !== 1) throw new Error(`${dataDir} holds a 1-node cluster; start it with --nodes 1 or use another --data-dir`);
    return { clusterId, voters: 1, nodes: 1 };
  }
  const c = { clusterId: randomBytes(16).toString('base64url'), voters: nodes, nodes };
  saveClusterFile(dataDir, c);
  return c;
}

async function answersMetadata(host: string, port: number, expectedBrokers: number): Promise<boolean> {
  let conn: KafkaConnection | undefined;
  try {
    conn = await KafkaConnection.connect(host, port, 'samsa-supervisor', 2000);
    const md = await conn.request(Metadata, 12, { topics: [], allowAutoTopicCreation: false }, 2000);
    return md.brokers.length >= expectedBrokers && md.controllerId >= 0;
  } catch {
    return false;
  } finally {
    conn?.close();
  }
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const rf = opts.defaultReplicationFactor ?? Math.min(3, opts.nodes);
  const nodeArgs = ['--default-replication-factor', String(rf), ...(opts.nodeArgs ?? [])];
  const cluster = new Cluster({ ...opts, host: opts.host ?? '127.0.0.1', nodeArgs });
  try {
    await Promise.all(Array.from({ length: cluster.nodeCount }, (_, i) => cluster.startNode(i + 1)));
    await cluster.waitReady();
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}
