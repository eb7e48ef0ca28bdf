// Entry of the console server's own process, forked by main/console-process.ts: says it is
// ready, waits for its config over IPC (main/contract/console-process.ts), starts the console server
// (main/server/console-server.ts) with it, and with the supervisor's control endpoint when the
// config names its data dir, and reports where it listens. It goes away with its
// supervisor: when the IPC channel closes (the supervisor exited, even by kill -9) it closes the
// server and exits, so it is never left behind.
import { ControlClient } from '../broker/supervisor/control-client.ts';
import { ConsoleChildConfigSchema, type ConsoleChildMessage } from './contract/console-process.ts';
import { ClusterRegistry } from './kafka/cluster-registry.ts';
import { startConsoleServer, type ConsoleServer } from './server/console-server.ts';

const send = (m: ConsoleChildMessage) => process.send?.(m);
const log = (line: string) => process.stderr.write(`${line}\n`);

if (!process.send) {
  log('samsa: main/console-child.ts is started by `samsa serve`, not directly');
  process.exit(2);
}

let server: ConsoleServer | null = null;
let registry: ClusterRegistry | null = null;
let closing = false;

async function shutdown(code: number): Promise<void> {
  if (closing) return;
  closing = true;
  await server?.close().catch(() => {});
  await registry?.close().catch(() => {});
  process.exit(code);
}

/** The supervisor's control endpoint for the node controls and the timeline; without it the console still serves Kafka. */
function openControl(dataDir: string | null): ControlClient | null {
  if (!dataDir) return null;
  try {
    return ControlClient.open(dataDir);
  } catch (e) {
    log(`console: no node controls for the bundled cluster: ${(e as Error).message}`);
    return null;
  }
}

process.once('message', (raw: unknown) => {
  const parsed = ConsoleChildConfigSchema.safeParse(raw);
  if (!parsed.success) {
    send({ type: 'failed', message: `bad console config: ${parsed.error.issues[0]?.message}` });
    return void shutdown(2);
  }
  const cfg = parsed.data;
  registry = new ClusterRegistry({ appDataDir: cfg.appDataDir, bundledBootstrap: cfg.bootstrap, bundledName: cfg.bundledName, bundledSecurity: cfg.bundledSecurity });
  startConsoleServer({ registry, staticDir: cfg.staticDir, port: cfg.port, token: cfg.token, log, control: openControl(cfg.controlDataDir) }).then(
    (s) => {
      server = s;
      send({ type: 'listening', port: s.port, url: s.url, pageUrl: s.pageUrl });
    },
    (e: Error) => {
      send({ type: 'failed', message: e.message });
      void shutdown(1);
    },
  );
});

// Loaded and listening for the config: the supervisor may keep this process as a warm spare.
send({ type: 'ready' });

process.on('disconnect', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
