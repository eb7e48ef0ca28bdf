// Spawns and watches the broker node processes of a local cluster. Each node is its own OS
// process (`node dist/broker/node.mjs --node-id N ...`, compiled from broker/node.ts by
// node-entry.ts) with its data in
// <dataDir>/node-<N> and its log in <dataDir>/logs/node-<N>.log. The same typed API serves the
// CLI (`samsa cluster`), the control endpoint behind `samsa node ...` and the desktop app.
// The nodes the cluster was created with are the voters of the metadata quorum: the supervisor
// passes `--voters 1@127.0.0.1:port,...` (their controller listeners, on loopback, ports from
// controllerBasePort) and the cluster id to every node. addNode() starts the next
// node id with the same voters, so it runs as an observer (a broker only; KRaft-style). Deviation:
// the voter set is static (no KIP-853 dynamic voters): added nodes never become voters, and
// voters cannot be removed. The cluster id, the voter count, the highest node id and the removed
// ids are kept in <dataDir>/cluster.json so a restart on the same data dir brings back the same
// cluster, added nodes included (as observers). Node ids are never reused.
// Every node stays listed for the cluster's life with a state that says why it is not running:
// `stopped` (asked to stop) or `dead` (killed, crashed, or failed to start); only removeNode()
// forgets one. Every transition is an event in `events` (seq-numbered, for the console timeline).
// A node that dies without being asked to stop (kill -9, crash) is reported to the active
// controller at once, which fences it (death-report.ts; deviation: Kafka waits out its session).

import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { NodeExit, NodeState, SupervisorEvent } from '../../main/contract/control.ts';
import { KafkaConnection } from '../client/connection.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import { ControlError } from './control-error.ts';
import { reportDeath, type ControllerEndpoint, type DeathReportOutcome } from './death-report.ts';
import { EventLog } from './event-log.ts';
import { nodeEntry } from './node-entry.ts';
import { saveNodePids } from './orphans.ts';
import { findFreeBlock, isPortFree } from './ports.ts';
import { ensureAdminUser, saslSecrets, type SaslSecrets } from './sasl-secrets.ts';
import type { ClientTls, PlainAuth } from '../client/connection.ts';
// Loaded only by a TLS cluster: @peculiar/x509 costs ~0.25 s of CPU and ~20 MB to load (decision 0026).
import type { LocalCa, PemPair } from '../security/certificates.ts';
import { usesSasl, usesTls, type SecurityMode } from '../security/security-mode.ts';


export type { NodeState } from '../../main/contract/control.ts';

export interface ClusterOptions {
  nodes: number;
  basePort: number;
  dataDir: string;
  /** Bind host of the broker listeners (default 127.0.0.1; another needs allowRemote). */
  host?: string;
  /** The host clients are told (advertised.listeners); default: host. */
  advertisedHost?: string;
  /** Lets the broker listeners bind a non-loopback host (nodes get --allow-remote). */
  allowRemote?: boolean;
  /** Node N's controller listener is 127.0.0.1:controllerBasePort+N-1; default: a free block. */
  controllerBasePort?: number;
  /** Extra `--flag value` arguments for every node (e.g. ['--fsync']). */
  nodeArgs?: string[];
  /** Node N serves GET /metrics on metricsBasePort+N-1 (127.0.0.1); 0 or absent: any free port. */
  metricsBasePort?: number;
  /** default.replication.factor of every node; min(3, nodes) by default (Kafka's is 1), since
   *  the bundled cluster exists to show replication. */
  defaultReplicationFactor?: number;
  /** 'sasl': SASL listeners with a bootstrap admin user (sasl-secrets.ts); 'tls': SSL listeners
   *  with certificates from the data dir's local CA (security/certificates.ts); 'sasl+tls': both. */
  security?: SecurityMode;
}

export interface NodeInfo {
  id: number;
  /** pid of the current process, or of the last one once it exited */
  pid: number;
  host: string;
  port: number;
  state: NodeState;
  role: 'voter' | 'observer';
  /** ms since the epoch when the current process started listening */
  startedAt: number | null;
  lastExit: NodeExit | null;
  logFile: string;
  /** Its Prometheus endpoint (http://127.0.0.1:<port>/metrics); null with --no-metrics. */
  metricsUrl: string | null;
}

export interface ClusterEvents {
  node: [NodeInfo];
  event: [SupervisorEvent];
}

/** The running process of a node and why it is going away, if it is. */
interface NodeProc {
  child: ChildProcess;
  intent: 'none' | 'stop' | 'kill';
  exited: Promise<void>;
  /** Its broker epoch, from its last 'registered' message; -1 before it registered. */
  brokerEpoch: number;
}

const LIVE: NodeState[] = ['starting', 'running', 'paused', 'stopping'];

/**
 * glibc raises its mmap threshold after big blocks are freed (up to 32 MiB), after which request
 * buffers of a few MiB come from the heap and are not given back to the OS when freed: a node's
 * resident memory would stay at its peak after a flood of large requests. A fixed threshold keeps
 * them mmapped (unmapped on free); measured in server/limits.test.ts. Other platforms ignore it.
 * The price, measured 2026-12-04 against a 4 MiB threshold (4 alternated pairs of
 * `BENCH_RDKAFKA_RUNS=1 npm run bench -- rdkafka`): librdkafka's ~1 MB requests each cost an
 * mmap and its page faults, Samsa median 404 vs 462 MB/s at acks=1 and 141 vs 184 MB/s at RF 3
 * acks=all; with 4 MiB a node kept 82-94 MB instead of 72 MB 10 s after 300 MB of 1 MB requests,
 * and 63.0 instead of 60.3 MB idle after `npm run bench -- start`. Kept: bounded memory first.
 */
const NODE_ENV = { MALLOC_MMAP_THRESHOLD_: '131072', ...process.env };

/** The controller listeners stay on this machine, whatever the broker listeners bind. */
export const CONTROLLER_HOST = '127.0.0.1';
/** Default controller ports: 200 above the Kafka ports (9292.. for 9092..; metrics take +100). */
export const CONTROLLER_PORT_OFFSET = 200;

type ResolvedOptions = Required<Omit<ClusterOptions, 'nodeArgs' | 'defaultReplicationFactor'>> & { nodeArgs: string[] };

export class Cluster extends EventEmitter<ClusterEvents> {
  private procs = new Map<number, NodeProc>();
  private infos = new Map<number, NodeInfo>();
  readonly events = new EventLog();
  readonly clusterId: string;
  /** Nodes 1..voterCount are the metadata quorum's voters (fixed at the cluster's creation). */
  readonly voterCount: number;
  /** The highest node id ever allocated; those above voterCount are observers. */
  nodeCount: number;
  private removed: number[];
  /** The cluster's secrets when it runs with --security sasl or sasl+tls. */
  readonly sasl: SaslSecrets | undefined;
  /** The local CA when it runs with --security tls or sasl+tls (clients trust ca.certFile). */
  readonly ca: LocalCa | undefined;
  /** Each node's certificate, made (or renewed) before its process starts. */
  private certs = new Map<number, PemPair>();
  /** Death reports still looking for a controller (stop() ends them). */
  private reports = new Set<AbortController>();
  /** The outcome of the last death report of each node (death-report.ts). */
  readonly lastDeathReport = new Map<number, Promise<DeathReportOutcome>>();

  private readonly opts: ResolvedOptions;

  /** `ca` is required with a TLS security mode (ensureLocalCa is asynchronous). */
  constructor(opts: ResolvedOptions, ca?: LocalCa) {
    super();
    this.opts = { ...opts, dataDir: path.resolve(opts.dataDir) }; // node command lines name it absolutely
    const c = clusterIdentity(this.opts.dataDir, opts.nodes);
    this.clusterId = c.clusterId;
    this.voterCount = c.voters;
    this.nodeCount = c.nodes;
    this.removed = c.removed ?? [];
    this.sasl = usesSasl(opts.security) ? saslSecrets(this.opts.dataDir) : undefined;
    if (usesTls(opts.security) && !ca) throw new Error(`--security ${opts.security} needs the cluster's CA`);
    this.ca = usesTls(opts.security) ? ca : undefined;
    for (const id of this.memberIds()) this.infos.set(id, this.newInfo(id));
  }

  /** How the supervisor logs in to a node (undefined on PLAINTEXT listeners). */
  get auth(): PlainAuth | undefined {
    return this.sasl?.interBroker;
  }

  /** What the supervisor trusts on TLS listeners (undefined without TLS). */
  get trust(): ClientTls | undefined {
    return this.ca && { ca: this.ca.cert.toString() };
  }

  get dataDir(): string {
    return this.opts.dataDir;
  }

  /** controller.quorum.voters: the controller listeners of the nodes the cluster was created with. */
  get voters(): string {
    const base = this.opts.controllerBasePort;
    return Array.from({ length: this.voterCount }, (_, i) => `${i + 1}@${CONTROLLER_HOST}:${base + i}`).join(',');
  }

  /** Every node of the cluster, whatever its state, by id. */
  get nodes(): NodeInfo[] {
    return [...this.infos.values()].sort((a, b) => a.id - b.id).map((n) => ({ ...n }));
  }

  node(id: number): NodeInfo {
    const n = this.infos.get(id);
    if (!n) throw new ControlError('NOT_FOUND', `node ${id} does not exist`);
    return { ...n };
  }

  get bootstrap(): string {
    return this.nodes.map((n) => `${n.host}:${n.port}`).join(',');
  }

  private memberIds(): number[] {
    return Array.from({ length: this.nodeCount }, (_, i) => i + 1).filter((id) => !this.removed.includes(id));
  }

  private newInfo(id: number): NodeInfo {
    const logFile = path.join(this.opts.dataDir, 'logs', `node-${id}.log`);
    const role = id <= this.voterCount ? 'voter' : 'observer';
    const port = this.opts.basePort + id - 1;
    return { id, pid: -1, host: this.opts.advertisedHost, port, state: 'stopped', role, startedAt: null, lastExit: null, logFile, metricsUrl: null };
  }

  /** The arguments of node `id`'s process (one place, so a new per-node flag is one line). */
  private nodeArgs(info: NodeInfo): string[] {
    const { host, advertisedHost, allowRemote, dataDir, nodeArgs, metricsBasePort } = this.opts;
    const metricsPort = metricsBasePort ? metricsBasePort + info.id - 1 : 0;
    return [
      '--node-id', String(info.id), '--port', String(info.port), '--host', host, '--advertised-host', advertisedHost,
      '--data-dir', path.join(dataDir, `node-${info.id}`),
      '--voters', this.voters, '--cluster-id', this.clusterId, '--metrics-port', String(metricsPort),
      ...(this.sasl ? ['--sasl-inter-broker-password-file', this.sasl.interBrokerFile] : []),
      ...this.tlsArgs(info.id),
      ...(allowRemote ? ['--allow-remote'] : []), ...nodeArgs,
    ];
  }

  private tlsArgs(id: number): string[] {
    const cert = this.certs.get(id);
    if (!this.ca || !cert) return [];
    return ['--tls-cert-file', cert.certFile, '--tls-key-file', cert.keyFile, '--tls-ca-file', this.ca.certFile];
  }

  private record(info: NodeInfo, type: SupervisorEvent['type'], exit?: NodeExit): void {
    if (type === 'started' || exit) saveNodePids(this.opts.dataDir, Object.fromEntries([...this.procs].map(([id, p]) => [id, p.child.pid ?? -1])));
    const e = this.events.append({ type, nodeId: info.id, pid: info.pid, code: exit?.code ?? null, signal: exit?.signal ?? null, at: exit?.at });
    this.emit('node', { ...info });
    this.emit('event', e);
  }

  /**
   * Starts (or restarts) node `id` and resolves once it listens. A node whose process is still
   * exiting (killed, stopping) is waited for first; a running one is an error.
   */
  async startNode(id: number): Promise<NodeInfo> {
    const info = this.infos.get(id);
    if (!info) throw new ControlError('NOT_FOUND', `node ${id} does not exist`);
    const current = this.procs.get(id);
    if (current && current.intent === 'none') throw new ControlError('INVALID_STATE', `node ${id} is already ${info.state}`);
    if (current) await current.exited;
    const entry = await nodeEntry();
    if (this.procs.has(id)) throw new ControlError('INVALID_STATE', `node ${id} was started meanwhile`);

    if (this.ca) {
      const { ensureNodeCertificate } = await import('../security/certificates.ts');
      this.certs.set(id, await ensureNodeCertificate(this.ca, id, [this.opts.advertisedHost]));
    }
    if (this.procs.has(id)) throw new ControlError('INVALID_STATE', `node ${id} was started meanwhile`);
    fs.mkdirSync(path.dirname(info.logFile), { recursive: true, mode: 0o700 });
    const out = fs.openSync(info.logFile, 'a', 0o600);
    const child = fork(entry.file, this.nodeArgs(info), { execArgv: entry.execArgv, stdio: ['ignore', out, out, 'ipc'], env: NODE_ENV });
    fs.closeSync(out);
    let exited!: () => void;
    const proc: NodeProc = { child, intent: 'none', exited: new Promise((r) => (exited = r)), brokerEpoch: -1 };
    this.procs.set(id, proc);
    Object.assign(info, { pid: child.pid ?? -1, state: 'starting', startedAt: null });

    return new Promise((resolve, reject) => {
      child.on('message', (m: { type?: string; metricsUrl?: string | null; brokerEpoch?: number }) => {
        if (m?.type === 'registered' && typeof m.brokerEpoch === 'number') proc.brokerEpoch = m.brokerEpoch;
        if (m?.type !== 'listening' || info.state !== 'starting') return;
        Object.assign(info, { state: 'running', startedAt: Date.now(), metricsUrl: m.metricsUrl ?? null });
        this.record(info, 'started');
        resolve({ ...info });
      });
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.procs.get(id) !== proc) return;
        this.procs.delete(id);
        const wasStarting = info.state === 'starting';
        const exit: NodeExit = { code, signal, at: Date.now() };
        Object.assign(info, { state: proc.intent === 'stop' ? 'stopped' : 'dead', startedAt: null, lastExit: exit });
        // Killed or crashed: the controller hears it now rather than at its session timeout.
        if (proc.intent !== 'stop' && proc.brokerEpoch >= 0) this.reportDeath(id, proc.brokerEpoch);
        this.record(info, proc.intent === 'stop' ? 'stopped' : proc.intent === 'kill' ? 'killed' : 'exited', exit);
        exited();
        if (wasStarting) reject(new Error(`node ${id} exited during start (${signal ?? `code ${code}`}); see ${info.logFile}`));
      };
      child.once('exit', onExit);
      // A failed spawn emits 'error' (and maybe no 'exit'): the node is dead, not the supervisor.
      child.on('error', (e) => {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) return;
        onExit(null, null);
        reject(new Error(`node ${id} could not be started: ${e.message}`));
      });
    });
  }

  /**
   * Adds node nodeCount+1 to the running cluster (port basePort+id-1): it starts with the
   * existing voters, so it joins as an observer, registers with the controller and can host
   * partition replicas. The new node count is persisted first, so a restart brings it back.
   * Resolves once it listens and answers Metadata listing every running node.
   */
  async addNode(timeoutMs = 30000): Promise<NodeInfo> {
    const id = this.nodeCount + 1;
    const port = this.opts.basePort + id - 1;
    if (!(await isPortFree(port, this.opts.host)))
      throw new ControlError('UNAVAILABLE', `port ${port} for node ${id} is taken; free it to add a node`);
    this.nodeCount = id;
    this.save();
    const info = this.newInfo(id);
    this.infos.set(id, info);
    this.record(info, 'added');
    await this.startNode(id);
    const deadline = Date.now() + timeoutMs;
    const running = () => this.nodes.filter((n) => n.state === 'running').length;
    while (!(await answersMetadata(info.host, info.port, running(), this.auth, this.trust))) {
      if (Date.now() > deadline) throw new Error(`node ${id} did not answer Metadata within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { ...info };
  }

  /**
   * Forgets node `id` for good: stops it, deletes its data and never brings it back. Only added
   * nodes (observers) can go: the voter set is static. The caller checks that no partition
   * keeps a replica on it (see decommission.ts).
   */
  async removeNode(id: number): Promise<void> {
    const info = this.assertRemovable(id);
    if (this.procs.has(id)) await this.stopNode(id);
    this.removed = [...this.removed, id].sort((a, b) => a - b);
    this.save();
    this.infos.delete(id);
    fs.rmSync(path.join(this.opts.dataDir, `node-${id}`), { recursive: true, force: true });
    this.record(info, 'removed');
  }

  /** Throws unless node `id` exists and is an observer (an added node). */
  assertRemovable(id: number): NodeInfo {
    const info = this.node(id);
    if (info.role === 'voter')
      throw new ControlError(
        'REFUSED',
        `node ${id} is a voter of the metadata quorum (nodes 1-${this.voterCount}); the voter set is fixed, so only added nodes can be removed`,
      );
    return info;
  }

  private liveProc(id: number, verb: string): { info: NodeInfo; proc: NodeProc } {
    const info = this.infos.get(id);
    if (!info) throw new ControlError('NOT_FOUND', `node ${id} does not exist`);
    const proc = this.procs.get(id);
    if (!proc || proc.intent !== 'none') throw new ControlError('INVALID_STATE', `node ${id} is ${info.state}; nothing to ${verb}`);
    return { info, proc };
  }

  /** kill -9: the process dies at once, as in a crash. Resolves once it has exited. */
  kill(id: number): Promise<void> {
    const info = this.node(id);
    const proc = this.procs.get(id);
    if (!proc || proc.intent === 'kill') throw new ControlError('INVALID_STATE', `node ${id} is already ${proc ? 'being killed' : info.state}`);
    proc.intent = 'kill';
    proc.child.kill('SIGKILL');
    return proc.exited;
  }

  /** SIGSTOP: the process freezes (no heartbeats, no answers) until resume(). */
  pause(id: number): void {
    const { info, proc } = this.liveProc(id, 'pause');
    if (info.state === 'paused') throw new ControlError('INVALID_STATE', `node ${id} is already paused`);
    if (info.state !== 'running') throw new ControlError('INVALID_STATE', `node ${id} is ${info.state}; only a running node can be paused`);
    proc.child.kill('SIGSTOP');
    info.state = 'paused';
    this.record(info, 'paused');
  }

  resume(id: number): void {
    const { info, proc } = this.liveProc(id, 'resume');
    if (info.state !== 'paused') throw new ControlError('INVALID_STATE', `node ${id} is not paused (it is ${info.state})`);
    proc.child.kill('SIGCONT');
    info.state = 'running';
    this.record(info, 'resumed');
  }

  /** Graceful stop of one node (SIGTERM, then SIGKILL after timeoutMs); resolves once exited. */
  async stopNode(id: number, timeoutMs = 10000): Promise<void> {
    const info = this.infos.get(id);
    if (!info) throw new ControlError('NOT_FOUND', `node ${id} does not exist`);
    const proc = this.procs.get(id);
    if (!proc) throw new ControlError('INVALID_STATE', `node ${id} is already ${info.state}`);
    if (proc.intent === 'none') {
      proc.intent = 'stop';
      if (info.state === 'paused') proc.child.kill('SIGCONT');
      info.state = 'stopping';
      proc.child.kill('SIGTERM');
    }
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
    await proc.exited;
    clearTimeout(timer);
  }

  /** Stops node `id` if it runs (gracefully), then starts it again. */
  async restartNode(id: number): Promise<NodeInfo> {
    if (this.procs.get(id)?.intent === 'none') await this.stopNode(id);
    return this.startNode(id);
  }

  /** The broker epoch node `id`'s running process registered with; -1 if none yet. */
  brokerEpoch(id: number): number {
    return this.procs.get(id)?.brokerEpoch ?? -1;
  }

  /** The controller listeners of the voters that run, but `except`. */
  private controllerEndpoints(except: number): ControllerEndpoint[] {
    return this.nodes
      .filter((n) => n.role === 'voter' && n.id !== except && n.state === 'running')
      .map((n) => ({ id: n.id, host: CONTROLLER_HOST, port: this.opts.controllerBasePort + n.id - 1 }));
  }

  /** Tells the active controller that node `id`'s process (epoch `brokerEpoch`) died (death-report.ts). */
  private reportDeath(id: number, brokerEpoch: number): void {
    const ac = new AbortController();
    this.reports.add(ac);
    const voter = this.infos.get(id)?.role === 'voter';
    const outcome = reportDeath({
      nodeId: id,
      brokerEpoch,
      controllers: () => this.controllerEndpoints(id),
      clusterId: voter ? this.clusterId : undefined,
      signal: ac.signal,
    }).finally(() => this.reports.delete(ac));
    this.lastDeathReport.set(id, outcome);
  }

  /** Stops every node that runs. */
  async stop(): Promise<void> {
    for (const ac of this.reports) ac.abort();
    await Promise.all([...this.procs.keys()].map((id) => this.stopNode(id)));
  }

  /**
   * Resolves once every running node answers Metadata listing all of them and a controller. The
   * nodes are asked in parallel, each again 50 ms after a miss (decision 0026: a fresh quorum
   * elects within ~0.3 s, so a 100 ms sequential poll was a third of the wait).
   */
  async waitReady(timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const running = this.nodes.filter((n) => LIVE.includes(n.state));
    let failed = false; // one node timed out: the others stop asking
    await Promise.all(
      running.map(async (n) => {
        while (!failed) {
          if (await answersMetadata(n.host, n.port, running.length, this.auth, this.trust)) return;
          if (Date.now() > deadline) {
            failed = true;
            throw new Error(`node ${n.id} did not answer Metadata within ${timeoutMs} ms`);
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      }),
    );
  }

  /** Starts every node of the cluster (the first start of a supervisor). */
  async startAll(): Promise<void> {
    await Promise.all(this.memberIds().map((id) => this.startNode(id)));
  }

  private save(): void {
    saveClusterFile(this.opts.dataDir, { clusterId: this.clusterId, voters: this.voterCount, nodes: this.nodeCount, removed: this.removed });
  }
}

interface ClusterFile {
  clusterId: string;
  /** Voter count (absent in files from before observers: every node a voter). */
  voters: number;
  /** The highest node id (ids 1..nodes, less `removed`). */
  nodes: number;
  removed?: number[];
}

function saveClusterFile(dataDir: string, c: ClusterFile): void {
  const file = path.join(dataDir, 'cluster.json');
  fs.writeFileSync(file + '.tmp', JSON.stringify(c) + '\n', { mode: 0o600 });
  fs.renameSync(file + '.tmp', file);
}

/**
 * The cluster id, voter count and node ids kept in <dataDir>/cluster.json (created on first
 * start). A cluster grown by addNode() may be restarted with either its original size (the
 * voters) or its current one: every node it had comes back.
 */
function clusterIdentity(dataDir: string, nodes: number): ClusterFile {
  const file = path.join(dataDir, 'cluster.json');
  if (fs.existsSync(file)) {
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ClusterFile> & { clusterId: string; nodes: number };
    const voters = c.voters ?? c.nodes;
    const count = c.nodes - (c.removed?.length ?? 0);
    if (c.nodes !== nodes && count !== nodes && voters !== nodes)
      throw new Error(`${dataDir} holds a ${count}-node cluster; start it with --nodes ${voters} or use another --data-dir`);
    return { clusterId: c.clusterId, voters, nodes: c.nodes, removed: c.removed ?? [] };
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
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

async function answersMetadata(host: string, port: number, expectedBrokers: number, auth?: PlainAuth, trust?: ClientTls): Promise<boolean> {
  let conn: KafkaConnection | undefined;
  try {
    conn = await KafkaConnection.connect(host, port, 'samsa-supervisor', 2000, auth, trust);
    const md = await conn.request(Metadata, 12, { topics: [], allowAutoTopicCreation: false }, 2000);
    return md.brokers.length >= expectedBrokers && md.controllerId >= 0;
  } catch {
    return false;
  } finally {
    conn?.close();
  }
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const host = opts.host ?? '127.0.0.1';
  // --nodes is at least the voter count (cluster.json), so this block has room for every voter.
  const controllerBasePort =
    opts.controllerBasePort ??
    (await findFreeBlock(opts.basePort + CONTROLLER_PORT_OFFSET, opts.nodes, CONTROLLER_HOST, [opts.basePort, opts.nodes]));
  const rf = opts.defaultReplicationFactor ?? Math.min(3, opts.nodes);
  const security = opts.security ?? 'plaintext';
  const ca = usesTls(security) ? await import('../security/certificates.ts').then((c) => c.ensureLocalCa(path.resolve(opts.dataDir))) : undefined;
  const cluster = new Cluster({
    ...opts,
    host,
    advertisedHost: opts.advertisedHost ?? host,
    allowRemote: opts.allowRemote ?? false,
    controllerBasePort,
    nodeArgs: ['--default-replication-factor', String(rf), ...(opts.nodeArgs ?? [])],
    metricsBasePort: opts.metricsBasePort ?? 0,
    security,
  }, ca);
  try {
    await cluster.startAll();
    await cluster.waitReady();
    if (cluster.sasl) await ensureAdminUser(cluster.nodes[0], cluster.sasl, cluster.trust);
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}
