// Entry of one broker node process: `node --import tsx broker/node.ts --node-id N --port P
// --data-dir D [...]`. Opens storage, starts the Kafka listeners — the broker listener on
// --host:--port and, on a voter of the metadata quorum, the controller listener at its own
// --voters entry (loopback only) — reports readiness to the supervisor (IPC message when spawned
// by it, a stdout line otherwise), tells the supervisor its broker epoch on each registration
// with a controller (for the supervisor's death report) and shuts down cleanly on SIGTERM/SIGINT or when its supervisor
// goes away. Both listeners share one request budget (queued.max.request.bytes). A broker
// listener off loopback (--allow-remote) is logged as a warning: without SASL nothing is
// authenticated, with it nothing is encrypted.
// Unless --no-metrics, it also serves its Prometheus metrics on 127.0.0.1 (broker/metrics/) and
// reports their URL when ready.

import { Broker } from './broker.ts';
import { parseNodeArgs, type BrokerConfig } from './config.ts';
import { startNodeMetrics } from './metrics/node-metrics.ts';
import { isLoopback, remoteWarning } from './server/loopback.ts';
import { RequestBudget } from './server/request-budget.ts';
import { startKafkaServer, type ListenerOptions } from './server/server.ts';

// Everything the node writes (segments, indexes, the metadata log, checkpoints) is for this user
// alone: directories 0700, files 0600, whatever the umask it was started with (issue 13).
process.umask(0o077);

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} node ${config.nodeId}: ${msg}\n`);
}

let config: BrokerConfig;
try {
  config = parseNodeArgs(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`samsa node: ${(e as Error).message}\n`);
  process.exit(2);
}

const broker = Broker.open(config, log);
const metrics = config.metrics ? await startNodeMetrics(broker, config.metricsPort, log) : undefined;
const budget = new RequestBudget(config.queuedMaxRequestBytes);
const listen = (opts: ListenerOptions & { host: string; port: number }) =>
  startKafkaServer(broker, log, metrics?.meters, { ...opts, budget }).catch((e: Error) => {
    log(`cannot listen on ${opts.host}:${opts.port} (${opts.listener} listener): ${e.message}`);
    process.exit(3);
  });
const server = await listen({ listener: 'broker', host: config.host, port: config.port });
const ownVoter = config.quorum?.voters.get(config.nodeId);
const controllerServer = ownVoter ? await listen({ listener: 'controller', ...ownVoter }) : undefined;
log(
  `listening on ${config.host}:${config.port}` +
    (ownVoter ? `, controller listener on ${ownVoter.host}:${ownVoter.port}` : '') +
    `, data in ${config.dataDir}`,
);
if (!isLoopback(config.host)) log(`WARNING: listening on ${config.host} (--allow-remote): ${remoteWarning(config.sasl !== undefined, config.tls !== undefined)}`);
const metricsUrl = metrics?.url ?? null;
const ready = {
  type: 'listening',
  nodeId: config.nodeId,
  host: config.advertisedHost,
  port: config.port,
  controllerPort: ownVoter?.port ?? null,
  pid: process.pid,
  metricsUrl,
};
if (process.send) {
  process.send(ready);
  // The supervisor reports this process's death to the controller with its broker epoch.
  broker.quorum?.onRegistered((brokerEpoch) => {
    if (process.connected) process.send?.({ type: 'registered', nodeId: config.nodeId, brokerEpoch });
  });
} else {
  process.stdout.write(`node ${config.nodeId} pid ${process.pid} listening ${config.advertisedHost}:${config.port}\n`);
  if (metricsUrl) process.stdout.write(`node ${config.nodeId} metrics ${metricsUrl}\n`);
}

let stopping = false;
async function shutdown(why: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`shutting down (${why})`);
  await broker.quorum?.stop(); // a quorum leader hands over first (EndQuorumEpoch)
  await server.close();
  await controllerServer?.close();
  await metrics?.close();
  budget.close();
  broker.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('disconnect', () => void shutdown('supervisor gone'));
process.on('uncaughtException', (e) => log(`uncaught: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${(e as Error)?.stack ?? e}`));
