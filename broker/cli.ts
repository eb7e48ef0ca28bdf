// The `samsa` command line: `samsa` alone starts the cluster and the console and opens it
// (main/app-command.ts), `samsa cluster` runs a local cluster in the foreground, `samsa serve`
// runs it with the web console, `samsa demo NAME` runs a demo workload against it
// (main/demo-command.ts), `samsa node ...` drives a running one through its control
// endpoint. Output contract of `cluster` (scripts rely on it):
//   node <id> pid <pid> listening <host:port>     (one line per node; again when a node restarts)
//   node <id> metrics http://127.0.0.1:<port>/metrics   (one line per node)
//   bootstrap.servers=<host:port,...>
//   security.protocol=<SASL_PLAINTEXT|SSL|SASL_SSL>[ sasl.mechanisms=...]   (with --security)
//   sasl user admin password <pw> (in <file>, mode 0600)   (with --security sasl|sasl+tls)
//   ca <file> (clients: ssl.ca.location=<file>)    (with --security tls|sasl+tls)
//   acls on: super.users=User:admin, allow.everyone.if.no.acl.found=false   (with --acls)
//   cluster ready                                  (once every node answers Metadata)
//   node <id> <stopped|killed|exited|paused|resumed|added|removed>[ (signal or exit code)]
// `cluster --host` other than loopback needs --allow-remote (and --advertised-host for a
// wildcard) and warns on stderr: nothing is authenticated (without SASL) or encrypted (without
// TLS). Controller listeners stay on loopback, PLAINTEXT (docs/decisions/0015).

import { parseArgs } from 'node:util';
import { WORKLOAD_NAMES } from '../main/contract/workload-names.ts';
import { isLoopback, isWildcard, remoteWarning } from './server/loopback.ts';
import { defaultDataDir } from './supervisor/data-dir.ts';
import { NODE_USAGE, runNodeCommand } from './supervisor/node-command.ts';
import { ACL_NODE_ARGS, ACLS_ON_LINE, parseSecurityMode, SECURITY_MODES, usesSasl, usesTls } from './security/security-mode.ts';

const USAGE = `usage:
  samsa [--no-open] [--browser] [--security MODE]   the bundled cluster and the console, opened in the app or a browser
  samsa cluster [--nodes 3] [--port 9092] [--metrics-port 9192] [--data-dir DIR] [--fsync] [--default-replication-factor N]
                [--security ${SECURITY_MODES.join('|')} [--acls]]   SASL logins and/or TLS with a local CA (its path is printed); --acls needs sasl
                [--host H --allow-remote [--advertised-host A]]   listen beyond this machine (no authentication without sasl, no encryption without tls!)
  samsa serve   [--nodes 3] [--kafka-port 9092] [--metrics-port 9192] [--port P] [--data-dir DIR] [--security MODE [--acls]] [--bootstrap host:port]
  samsa demo    NAME [--rate N] [--data-dir DIR] [--bootstrap host:port,... [--allow-remote]]
                a demo workload (a producer and its consumer groups) on the running cluster; Ctrl-C stops it
                NAME: ${WORKLOAD_NAMES.join('|')}
${NODE_USAGE}`;

const MAX_NODES = 9; // every node is a metadata quorum voter; more would only slow elections

async function cluster(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      nodes: { type: 'string', default: '3' },
      port: { type: 'string', default: '9092' },
      'data-dir': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      fsync: { type: 'boolean', default: false },
      'metrics-port': { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
      'advertised-host': { type: 'string' },
      // default.replication.factor; min(3, nodes) when not given (Kafka's default is 1).
      'default-replication-factor': { type: 'string' },
      // sasl: PLAIN and SCRAM-SHA-256/512 logins with a bootstrap admin user; tls: a local CA.
      security: { type: 'string', default: 'plaintext' },
      // Kafka's ACL authorizer on every node; the bootstrap user admin is the super user.
      acls: { type: 'boolean', default: false },
    },
  });
  const security = parseSecurityMode(values.security!);
  if (values.acls && !usesSasl(security)) throw new Error('--acls needs --security sasl or sasl+tls: ACLs name authenticated users');
  const host = values.host!;
  const advertisedHost = values['advertised-host'] ?? host;
  if (!isLoopback(host)) {
    const warning = remoteWarning(usesSasl(security), usesTls(security));
    if (!values['allow-remote']) throw new Error(`--host ${host} is not a loopback address: ${warning}; add --allow-remote to listen there anyway`);
    if (isWildcard(advertisedHost))
      throw new Error(`--host ${host} listens on every interface; add --advertised-host with the name or address clients reach this machine by`);
    console.error(`samsa: WARNING: the Kafka ports listen on ${host}: ${warning}. The metadata quorum's controller ports stay on 127.0.0.1, unauthenticated.`);
  }
  const nodes = Number(values.nodes);
  const port = Number(values.port);
  if (!Number.isInteger(nodes) || nodes < 1) throw new Error(`--nodes must be a positive integer, got ${values.nodes}`);
  if (nodes > MAX_NODES)
    throw new Error(`--nodes ${nodes}: at most ${MAX_NODES} nodes`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port must be a TCP port, got ${values.port}`);
  const dataDir = values['data-dir'] ?? defaultDataDir('cluster');
  const rfArg = values['default-replication-factor'];
  const rf = rfArg === undefined ? undefined : Number(rfArg);
  if (rf !== undefined && (!Number.isInteger(rf) || rf < 1 || rf > nodes))
    throw new Error(`--default-replication-factor must be an integer from 1 to --nodes (${nodes}), got ${rfArg}`);
  const log = (line: string) => console.log(line);
  // Loaded here, not at the top: `samsa node ...` and `--help` need none of the supervisor.
  const { eventLogLine, runCluster, securityLines, startedLines } = await import('./supervisor/run-cluster.ts');
  const running = await startClusterOrExit(() =>
    runCluster(
      {
        nodes,
        basePort: port,
        dataDir,
        host,
        advertisedHost,
        allowRemote: values['allow-remote'],
        metricsPort: values['metrics-port'],
        defaultReplicationFactor: rf,
        nodeArgs: [...(values.fsync ? ['--fsync'] : []), ...(values.acls ? ACL_NODE_ARGS : [])],
        security,
      },
      log,
    ),
  );
  const c = running.cluster;
  for (const line of [...startedLines(c), ...securityLines(c)]) log(line);
  if (values.acls) log(ACLS_ON_LINE);
  log('cluster ready');
  log(`data in ${dataDir}; node logs in ${dataDir}/logs; Ctrl-C stops the cluster; \`samsa node list\` shows its nodes`);
  c.on('event', (e) => log(eventLogLine(c, e)));
  const stop = async () => {
    await running.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

async function startClusterOrExit<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (e) {
    console.error(`samsa: cluster failed to start: ${(e as Error).message}`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  try {
    if (cmd === 'cluster') await cluster(rest);
    else if (cmd === 'node') process.exitCode = await runNodeCommand(rest);
    else if (cmd === 'demo') {
      const { runDemo } = await import('../main/demo-command.ts');
      await runDemo(rest);
    } else if (cmd === 'serve') {
      const { runServe } = await import('../main/serve.ts');
      await runServe(rest);
    } else if (cmd === 'help' || cmd === '--help' || cmd === '-h') {
      console.log(USAGE);
    } else if (cmd === undefined || cmd.startsWith('-')) {
      const { runApp } = await import('../main/app-command.ts');
      await runApp(process.argv.slice(2));
    } else {
      console.error(`samsa: unknown command ${cmd}`);
      console.error(USAGE);
      process.exit(2);
    }
  } catch (e) {
    console.error(`samsa: ${(e as Error).message}`);
    console.error(USAGE);
    process.exit(2);
  }
}

await main();
