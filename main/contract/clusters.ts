// Clusters the console can talk to: the bundled one started with the app, plus remote Kafka
// clusters the user adds (persisted in the app data dir). Secrets never travel back to the UI.
import { z } from 'zod';

const hostPort = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/, 'Expected host:port');

export const BootstrapSchema = z
  .string()
  .trim()
  .min(1, 'Bootstrap servers are required')
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(hostPort).min(1, 'Bootstrap servers are required'));

export const SaslSchema = z.object({
  mechanism: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']),
  username: z.string().min(1),
  password: z.string().min(1),
});
export type Sasl = z.infer<typeof SaslSchema>;

export const AddClusterRequestSchema = z.object({
  name: z.string().trim().min(1, 'Name is required').max(100),
  bootstrap: BootstrapSchema,
  sasl: SaslSchema.optional(),
  tls: z.boolean().default(false),
  /** Accept self-signed broker certificates (development clusters). */
  tlsInsecure: z.boolean().default(false),
  /** Trust this CA (PEM, e.g. the ca.pem `samsa cluster --security tls` prints) instead of the system's. */
  tlsCa: z
    .string()
    .max(65536, 'The CA file is too large')
    .regex(/-----BEGIN CERTIFICATE-----/, 'The CA file must be a PEM certificate (-----BEGIN CERTIFICATE-----)')
    .optional(),
});
export type AddClusterRequest = z.input<typeof AddClusterRequestSchema>;

export const ClusterSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  bootstrap: z.array(z.string()),
  bundled: z.boolean(),
  saslMechanism: z.string().nullable(),
  tls: z.boolean(),
  /** Things the user should know about how the console reaches this cluster. */
  warnings: z.array(z.string()),
});
export type ClusterSummary = z.infer<typeof ClusterSummarySchema>;

const hostOf = (hostPort: string) => hostPort.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
const isLoopbackName = (host: string) => host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** SASL PLAIN sends the password as is: over plaintext TCP to another machine, anyone on the path reads it. */
export function saslPlaintextWarning(c: { sasl?: { mechanism: string } | undefined; tls?: boolean; bootstrap: string[] }): string | null {
  if (c.sasl?.mechanism !== 'PLAIN' || c.tls) return null;
  const remote = c.bootstrap.map(hostOf).filter((h) => h && !isLoopbackName(h));
  if (remote.length === 0) return null;
  return `SASL PLAIN without TLS sends the password in clear text over the network to ${[...new Set(remote)].join(', ')}. Turn on TLS (or use SCRAM).`;
}

export const ClusterListSchema = z.object({ clusters: z.array(ClusterSummarySchema) });
export type ClusterList = z.infer<typeof ClusterListSchema>;

export const BrokerInfoSchema = z.object({
  id: z.number(),
  /** Unknown for a broker only ever seen in replica lists. */
  host: z.string().nullable(),
  port: z.number().nullable(),
  rack: z.string().nullable(),
  controller: z.boolean(),
  /** down: seen earlier in this console session, or named as a replica, but not in Metadata now. */
  status: z.enum(['up', 'down']),
});
export type BrokerInfo = z.infer<typeof BrokerInfoSchema>;

export const OverviewSchema = z.object({
  clusterId: z.string(),
  controllerId: z.number(),
  brokers: z.array(BrokerInfoSchema),
  topicCount: z.number(),
  partitionCount: z.number(),
  underReplicatedPartitions: z.number(),
  offlinePartitions: z.number(),
  groupCount: z.number().nullable(),
});
export type Overview = z.infer<typeof OverviewSchema>;
