// The clusters the console knows: the bundled cluster (not persisted, not removable) and remote
// clusters the user added, persisted as JSON in the app data dir (mode 0600: it may hold SASL
// passwords). Connections are opened on first use and closed on removal.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { SaslSchema } from '../contract/index.ts';
import type { ClusterConfig } from './cluster-config.ts';
import { KafkaConnection } from './connection.ts';
import { ConsoleError } from './errors.ts';

const StoredSchema = z.object({
  clusters: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      bootstrap: z.array(z.string()),
      sasl: SaslSchema.optional(),
      tls: z.boolean().optional(),
      tlsInsecure: z.boolean().optional(),
    }),
  ),
});

export const BUNDLED_CLUSTER_ID = 'local';

export class ClusterRegistry {
  #configs = new Map<string, ClusterConfig>();
  #connections = new Map<string, KafkaConnection>();
  readonly file: string | null;

  constructor(opts: { appDataDir: string | null; bundledBootstrap?: string[]; bundledName?: string }) {
    this.file = opts.appDataDir ? join(opts.appDataDir, 'clusters.json') : null;
    if (opts.bundledBootstrap?.length) {
      this.#configs.set(BUNDLED_CLUSTER_ID, {
        id: BUNDLED_CLUSTER_ID,
        name: opts.bundledName ?? 'Local cluster',
        bootstrap: opts.bundledBootstrap,
        bundled: true,
      });
    }
    for (const c of this.#load()) this.#configs.set(c.id, { ...c, bundled: false });
  }

  get bundledId(): string | null {
    return this.#configs.has(BUNDLED_CLUSTER_ID) ? BUNDLED_CLUSTER_ID : null;
  }

  list(): ClusterConfig[] {
    return [...this.#configs.values()];
  }

  add(input: Omit<ClusterConfig, 'id' | 'bundled'>): ClusterConfig {
    const config: ClusterConfig = { ...input, id: randomUUID().slice(0, 8), bundled: false };
    this.#configs.set(config.id, config);
    this.#save();
    return config;
  }

  async remove(id: string): Promise<void> {
    const c = this.#configs.get(id);
    if (!c) throw new ConsoleError('NOT_FOUND', `Unknown cluster ${id}`, 404);
    if (c.bundled) throw new ConsoleError('BAD_REQUEST', 'The bundled cluster cannot be removed', 400);
    this.#configs.delete(id);
    this.#save();
    await this.#connections.get(id)?.close();
    this.#connections.delete(id);
  }

  connection(id: string): KafkaConnection {
    const c = this.#configs.get(id);
    if (!c) throw new ConsoleError('NOT_FOUND', `Unknown cluster ${id}`, 404);
    let conn = this.#connections.get(id);
    if (!conn) {
      conn = new KafkaConnection(c);
      this.#connections.set(id, conn);
    }
    return conn;
  }

  async close(): Promise<void> {
    const all = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.allSettled(all.map((c) => c.close()));
  }

  #load() {
    if (!this.file) return [];
    try {
      return StoredSchema.parse(JSON.parse(readFileSync(this.file, 'utf8'))).clusters;
    } catch {
      return [];
    }
  }

  #save() {
    if (!this.file) return;
    const clusters = this.list()
      .filter((c) => !c.bundled)
      .map(({ bundled: _b, ...rest }) => rest);
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ clusters }, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
