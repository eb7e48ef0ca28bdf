// The clusters the console knows: the bundled cluster (not persisted, not removable) and remote
// clusters the user added, persisted as JSON in the app data dir (folder 0700, file 0600). A
// change is written to disk first and applied in memory only once the file is safe, so a failed
// write never leaves the console believing in a cluster it will forget on restart. Passwords
// are sealed with the SecretStore when there is one (desktop app, see secret-store.ts); a
// password sealed by the desktop app is kept as is when read where it cannot be opened.
import { randomUUID, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SaslSchema, type Sasl } from '../contract/index.ts';
import type { ClusterConfig } from './cluster-config.ts';
import { KafkaConnection } from './connection.ts';
import { ConsoleError } from './errors.ts';
import { writePrivateFile } from './private-files.ts';
import type { SecretStore } from './secret-store.ts';

const StoredClusterSchema = z.object({
  id: z.string(),
  name: z.string(),
  bootstrap: z.array(z.string()),
  sasl: SaslSchema.pick({ mechanism: true, username: true })
    .extend({ password: z.string().optional(), sealedPassword: z.string().optional() })
    .optional(),
  tls: z.boolean().optional(),
  tlsInsecure: z.boolean().optional(),
  tlsCa: z.string().optional(),
});
type StoredCluster = z.infer<typeof StoredClusterSchema>;
const StoredSchema = z.object({ clusters: z.array(StoredClusterSchema) });

export const BUNDLED_CLUSTER_ID = 'local';

const LOCKED_REASON = 'Its saved password was encrypted by the desktop app and cannot be read here: remove the cluster and add it again.';

/** A readable refusal of a CA file that is not a certificate (or not a CA's). */
function checkCa(pem: string): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (e) {
    throw new ConsoleError('BAD_REQUEST', `The CA file is not a readable PEM certificate (${(e as Error).message})`, 400);
  }
  if (!cert.ca) throw new ConsoleError('BAD_REQUEST', `The CA file holds a certificate that is not a CA's (${cert.subject.replace(/\n/g, ', ')})`, 400);
}

export class ClusterRegistry {
  #configs = new Map<string, ClusterConfig>();
  #connections = new Map<string, KafkaConnection>();
  /** Clusters whose sealed password cannot be opened here: written back exactly as read. */
  #lockedRecords = new Map<string, StoredCluster>();
  readonly #secrets: SecretStore | null;
  readonly file: string | null;

  constructor(opts: {
    appDataDir: string | null;
    bundledBootstrap?: string[];
    bundledName?: string;
    /** A bundled cluster started with --security: its admin login and its CA (PEM). */
    bundledSecurity?: { sasl?: Sasl; tlsCa?: string };
    secrets?: SecretStore | null;
  }) {
    this.file = opts.appDataDir ? join(opts.appDataDir, 'clusters.json') : null;
    this.#secrets = opts.secrets ?? null;
    if (opts.bundledBootstrap?.length) {
      this.#configs.set(BUNDLED_CLUSTER_ID, {
        id: BUNDLED_CLUSTER_ID,
        name: opts.bundledName ?? 'Local cluster',
        bootstrap: opts.bundledBootstrap,
        bundled: true,
        sasl: opts.bundledSecurity?.sasl,
        ...(opts.bundledSecurity?.tlsCa ? { tls: true, tlsCa: opts.bundledSecurity.tlsCa } : {}),
      });
    }
    for (const stored of this.#load()) this.#configs.set(stored.id, this.#fromStored(stored));
  }

  get bundledId(): string | null {
    return this.#configs.has(BUNDLED_CLUSTER_ID) ? BUNDLED_CLUSTER_ID : null;
  }

  get passwordsEncrypted(): boolean {
    return this.#secrets !== null;
  }

  list(): ClusterConfig[] {
    return [...this.#configs.values()];
  }

  add(input: Omit<ClusterConfig, 'id' | 'bundled'>): ClusterConfig {
    if (input.tlsCa !== undefined) checkCa(input.tlsCa);
    // A CA to trust only means something over TLS.
    const tls = input.tls || input.tlsCa !== undefined;
    const config: ClusterConfig = { ...input, tls, id: randomUUID().slice(0, 8), bundled: false };
    this.#save([...this.list(), config]);
    this.#configs.set(config.id, config);
    return config;
  }

  async remove(id: string): Promise<void> {
    const c = this.#configs.get(id);
    if (!c) throw new ConsoleError('NOT_FOUND', `Unknown cluster ${id}`, 404);
    if (c.bundled) throw new ConsoleError('BAD_REQUEST', 'The bundled cluster cannot be removed', 400);
    this.#save(this.list().filter((x) => x.id !== id));
    this.#configs.delete(id);
    this.#lockedRecords.delete(id);
    await this.#connections.get(id)?.close();
    this.#connections.delete(id);
  }

  connection(id: string): KafkaConnection {
    const c = this.#configs.get(id);
    if (!c) throw new ConsoleError('NOT_FOUND', `Unknown cluster ${id}`, 404);
    if (c.locked) throw new ConsoleError('PASSWORD_UNAVAILABLE', `Cannot connect to ${c.name}. ${c.locked}`, 409);
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

  #load(): StoredCluster[] {
    if (!this.file || !existsSync(this.file)) return [];
    try {
      return StoredSchema.parse(JSON.parse(readFileSync(this.file, 'utf8'))).clusters;
    } catch {
      // Keep the user's unreadable file for them rather than overwrite it on the next save.
      try {
        renameSync(this.file, `${this.file}.unreadable-${Date.now()}`);
      } catch {
        /* a folder we cannot write to: the next save will say so */
      }
      return [];
    }
  }

  #fromStored(s: StoredCluster): ClusterConfig {
    const { sasl, ...rest } = s;
    const base = { ...rest, bundled: false };
    if (!sasl) return base;
    const { mechanism, username } = sasl;
    if (sasl.sealedPassword === undefined) return { ...base, sasl: { mechanism, username, password: sasl.password ?? '' } };
    try {
      if (!this.#secrets) throw new Error('no key');
      return { ...base, sasl: { mechanism, username, password: this.#secrets.open(sasl.sealedPassword) } };
    } catch {
      this.#lockedRecords.set(s.id, s);
      return { ...base, sasl: { mechanism, username, password: '' }, locked: LOCKED_REASON };
    }
  }

  #toStored(c: ClusterConfig): StoredCluster {
    const locked = this.#lockedRecords.get(c.id);
    if (locked) return locked;
    const { bundled: _b, locked: _l, sasl, ...rest } = c;
    if (!sasl) return rest;
    const { mechanism, username, password } = sasl;
    return { ...rest, sasl: this.#secrets ? { mechanism, username, sealedPassword: this.#secrets.seal(password) } : { mechanism, username, password } };
  }

  /** Throws (and changes nothing) when the file cannot be written. */
  #save(configs: ClusterConfig[]): void {
    if (!this.file) return;
    const clusters = configs.filter((c) => !c.bundled).map((c) => this.#toStored(c));
    writePrivateFile(this.file, JSON.stringify({ clusters }, null, 2));
  }
}
