// What the console needs to reach one cluster, and how that becomes client-library options.
// SASL PLAIN/SCRAM and TLS are passed straight to @platformatic/kafka, which implements them.
// Every client's options come from here, so this module installs the client guard
// (client-guard.ts: a dead cached node must not crash the process).
import type { BaseOptions } from '@platformatic/kafka';
import { saslPlaintextWarning, type ClusterSummary, type Sasl } from '../contract/index.ts';
import { installClientGuard } from './client-guard.ts';

installClientGuard();

export interface ClusterConfig {
  id: string;
  name: string;
  bootstrap: string[];
  bundled: boolean;
  sasl?: Sasl;
  tls?: boolean;
  tlsInsecure?: boolean;
  /** The CA certificate(s) to trust (PEM) instead of the system's: a private or local CA. */
  tlsCa?: string;
  /** Why the saved password cannot be used here (sealed by the desktop app's OS key). */
  locked?: string;
}

export function toClientOptions(c: ClusterConfig, clientId: string): BaseOptions {
  const opts: BaseOptions = {
    clientId,
    bootstrapBrokers: c.bootstrap,
    connectTimeout: 5000,
    requestTimeout: 15000,
    timeout: 15000,
    retries: 2,
    retryDelay: 250,
    metadataMaxAge: 2000,
  };
  if (c.sasl) opts.sasl = { mechanism: c.sasl.mechanism, username: c.sasl.username, password: c.sasl.password };
  if (c.tls) opts.tls = { rejectUnauthorized: !c.tlsInsecure, ...(c.tlsCa ? { ca: c.tlsCa } : {}) };
  return opts;
}

export function toSummary(c: ClusterConfig): ClusterSummary {
  return {
    id: c.id,
    name: c.name,
    bootstrap: c.bootstrap,
    bundled: c.bundled,
    saslMechanism: c.sasl?.mechanism ?? null,
    tls: Boolean(c.tls),
    warnings: [c.locked, saslPlaintextWarning(c)].filter((w): w is string => Boolean(w)),
  };
}
