// Entry of one broker node process: `node --import tsx broker/node.ts --node-id N --port P
// --data-dir D [...]`. Opens storage, starts the Kafka listener, reports readiness to the
// supervisor (IPC message when spawned by it, a stdout line otherwise) and shuts down cleanly on
// SIGTERM/SIGINT or when its supervisor goes away. Unless --no-metrics, it also serves its
// Prometheus metrics on 127.0.0.1 (broker/metrics/) and reports their URL when ready.

import { Broker } from './broker.ts';
import { parseNodeArgs, type BrokerConfig } from './config.ts';
import { startNodeMetrics } from './metrics/node-metrics.ts';
import { startKafkaServer } from './server/server.ts';

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
const server = await startKafkaServer(broker, log, metrics?.meters).catch((e: Error) => {
  log(`cannot listen on ${config.host}:${config.port}: ${e.message}`);
  process.exit(3);
});
log(`listening on ${config.host}:${config.port}, data in ${config.dataDir}`);
const metricsUrl = metrics?.url ?? null;
const ready = { type: 'listening', nodeId: config.nodeId, host: config.host, port: config.port, pid: process.pid, metricsUrl };
if (process.send) process.send(ready);
else {
  process.stdout.write(`node ${config.nodeId} pid ${process.pid} listening ${config.host}:${config.port}\n`);
  if (metricsUrl) process.stdout.write(`node ${config.nodeId} metrics ${metricsUrl}\n`);
}

let stopping = false;
async function shutdown(why: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`shutting down (${why})`);
  await broker.quorum?.stop(); // a quorum leader hands over first (EndQuorumEpoch)
  await server.close();
  await metrics?.close();
  broker.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('disconnect', () => void shutdown('supervisor gone'));
process.on('uncaughtException', (e) => log(`uncaught: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${(e as Error)?.stack ?? e}`));
