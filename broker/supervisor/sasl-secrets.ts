// The secrets of a cluster started with `--security sasl` (docs/decisions/0015), kept in
// <dataDir>/security (0700) as one file each (0600), made once and reused on every restart:
//   inter-broker.password  the nodes' own PLAIN secret (user samsa-broker), read by each node
//                          from --sasl-inter-broker-password-file; also the supervisor's login
//   admin.password         the bootstrap user `admin`, created as SCRAM-SHA-256 and -512
//                          credentials in the metadata quorum by ensureAdminUser once the
//                          cluster is up (what `kafka-storage format --add-scram` does in Kafka)

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KafkaConnection, type ClientTls, type PlainAuth } from '../client/connection.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { AlterUserScramCredentials } from '../protocol/messages/alter-user-scram-credentials.ts';
import { DescribeUserScramCredentials } from '../protocol/messages/describe-user-scram-credentials.ts';
import { INTER_BROKER_USER } from '../security/sasl-session.ts';
import { DEFAULT_ITERATIONS, saltedPassword, SCRAM_MECHANISMS } from '../security/scram.ts';

export const ADMIN_USER = 'admin';

export interface SaslSecrets {
  interBrokerFile: string;
  adminFile: string;
  adminPassword: string;
  /** How the supervisor and the nodes log in to a node. */
  interBroker: PlainAuth;
}

export function saslSecrets(dataDir: string): SaslSecrets {
  const dir = path.join(dataDir, 'security');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = (name: string) => {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(18).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
    fs.chmodSync(file, 0o600); // whatever a copy or an editor left
    return { file, value: fs.readFileSync(file, 'utf8').trim() };
  };
  const inter = secret('inter-broker.password');
  const admin = secret('admin.password');
  return {
    interBrokerFile: inter.file,
    adminFile: admin.file,
    adminPassword: admin.value,
    interBroker: { user: INTER_BROKER_USER, password: inter.value },
  };
}

/** Creates the admin user's SCRAM credentials unless the user exists; returns whether it made them. */
export async function ensureAdminUser(node: { host: string; port: number }, s: SaslSecrets, trust?: ClientTls, timeoutMs = 30000): Promise<boolean> {
  const conn = await KafkaConnection.connect(node.host, node.port, 'samsa-supervisor', 5000, s.interBroker, trust);
  try {
    const d = await conn.request(DescribeUserScramCredentials, 0, { users: [{ name: ADMIN_USER }] }, timeoutMs);
    const found = d.results[0];
    if (found?.errorCode === ErrorCode.NONE) return false;
    const upsertions = SCRAM_MECHANISMS.map((m) => {
      const salt = randomBytes(32);
      return {
        name: ADMIN_USER,
        mechanism: m.code,
        iterations: DEFAULT_ITERATIONS,
        salt,
        saltedPassword: saltedPassword(m, s.adminPassword, salt, DEFAULT_ITERATIONS),
      };
    });
    const res = await conn.request(AlterUserScramCredentials, 0, { deletions: [], upsertions }, timeoutMs + 5000);
    const r = res.results[0];
    if (!r || r.errorCode !== ErrorCode.NONE) throw new Error(`creating user ${ADMIN_USER} failed: ${r?.errorMessage ?? 'no answer'}`);
    return true;
  } finally {
    conn.close();
  }
}
