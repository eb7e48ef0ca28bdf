// `samsa serve`: the bundled cluster (or an existing one with --bootstrap) plus the console
// server for a browser. Prints `bootstrap.servers=...` then `console: <url with token>`; scripts
// and tests wait for that line. This process is the supervisor: it owns the nodes and the
// control endpoint, and runs the console server as a child process of its own
// (main/console-process.ts), restarted on the same URL if it crashes, so a console crash never
// takes the cluster down. SIGINT/SIGTERM stop the console, then the nodes, cleanly; if this
// process dies anyway, nodes and console notice their IPC channel close and exit.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { defaultDataDir } from '../broker/supervisor/data-dir.ts';
import { eventLogLine, runCluster, securityLines, startedLines } from '../broker/supervisor/run-cluster.ts';
import { ACL_NODE_ARGS, ACLS_ON_LINE, parseSecurityMode, usesSasl } from '../broker/security/security-mode.ts';
import { startConsoleProcess, type ConsoleProcess, type ConsoleProcessOptions } from './console-process.ts';
import { ADMIN_USER } from '../broker/supervisor/sasl-secrets.ts';
import { BootstrapSchema } from './contract/index.ts';
import { ensureRendererBuilt } from './server/renderer-build.ts';

function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in ${min}..${max}, got ${raw}`);
  return n;
}

/** Resolves once the console listens, with its page URL (the nodes and console keep running). */
export async function runServe(argv: string[]): Promise<{ pageUrl: string }> {
  const { values } = parseArgs({
    args: argv,
    options: {
      nodes: { type: 'string', default: '3' },
      'kafka-port': { type: 'string', default: '9092' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      bootstrap: { type: 'string' },
      'metrics-port': { type: 'string' },
      // The bundled cluster's listeners (broker/security/security-mode.ts); not with --bootstrap.
      security: { type: 'string', default: 'plaintext' },
      // Kafka's ACL authorizer on every node (as `samsa cluster --acls`); needs sasl.
      acls: { type: 'boolean', default: false },
    },
  });
  const security = parseSecurityMode(values.security!);
  if (values.bootstrap && security !== 'plaintext') throw new Error('--security applies to the bundled cluster, not to --bootstrap');
  if (values.acls && !usesSasl(security)) throw new Error('--acls needs --security sasl or sasl+tls: ACLs name authenticated users');
  const nodes = intOption('nodes', values.nodes, 1, 9)!;
  const kafkaPort = intOption('kafka-port', values['kafka-port'], 1, 65535)!;
  const consolePort = intOption('port', values.port, 0, 65535) ?? 0;
  const dataDir = values['data-dir'] ?? defaultDataDir('cluster');
  const appDataDir = values['data-dir'] ? join(values['data-dir'], 'console') : defaultDataDir('console');
  const log = (line: string) => console.log(line);

  // The UI build (first run only) overlaps with the cluster start.
  const ui = ensureRendererBuilt(log);
  ui.catch(() => {});

  let bootstrap: string[];
  let stopCluster: () => Promise<void> = async () => {};
  let bundledSecurity: ConsoleProcessOptions['bundledSecurity'];
  if (values.bootstrap) {
    const parsed = BootstrapSchema.safeParse(values.bootstrap);
    if (!parsed.success) throw new Error(`--bootstrap: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    bootstrap = parsed.data;
    log(`bootstrap.servers=${bootstrap.join(',')}`);
  } else {
    const nodeArgs = values.acls ? [...ACL_NODE_ARGS] : [];
    const running = await runCluster({ nodes, basePort: kafkaPort, dataDir, host: '127.0.0.1', metricsPort: values['metrics-port'], security, nodeArgs }, log);
    for (const line of [...startedLines(running.cluster), ...securityLines(running.cluster)]) log(line);
    if (values.acls) log(ACLS_ON_LINE);
    running.cluster.on('event', (e) => log(eventLogLine(running.cluster, e)));
    bootstrap = running.cluster.bootstrap.split(',');
    const { sasl, ca } = running.cluster;
    if (sasl || ca)
      bundledSecurity = {
        sasl: sasl && { mechanism: 'SCRAM-SHA-512', username: ADMIN_USER, password: sasl.adminPassword },
        tlsCa: ca?.cert.toString(),
      };
    stopCluster = () => running.stop();
  }

  let consoleProc: ConsoleProcess;
  try {
    const staticDir = await ui.catch((err: Error) => {
      throw new Error(`could not build the console UI: ${err.message}`);
    });
    consoleProc = await startConsoleProcess(
      {
        bootstrap,
        bundledName: values.bootstrap ? 'Bootstrap cluster' : 'Local cluster',
        appDataDir,
        staticDir,
        port: consolePort,
        controlDataDir: values.bootstrap ? null : dataDir,
        bundledSecurity,
      },
      log,
    );
  } catch (err) {
    await stopCluster();
    throw err;
  }
  log(`console server pid ${consoleProc.pid()}`);
  log(`console: ${consoleProc.pageUrl}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    await consoleProc.close().catch(() => {});
    await stopCluster().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  return { pageUrl: consoleProc.pageUrl };
}
