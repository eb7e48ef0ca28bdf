// SCRAM users as kafka-configs.sh --entity-type users shows and alters them:
// DescribeUserScramCredentials (every user, each mechanism with its iterations) and
// AlterUserScramCredentials (upsert a mechanism's credential, delete one). @platformatic/kafka's
// Admin has no call for either (1.35.0), so they go through its API registry (broker-calls.ts),
// with its codec. The client salts the password itself, as Kafka's AdminClient does: the salted
// password is what travels, never the password; the salt is 32 random bytes, as Kafka's
// ScramFormatter makes it.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { mechanismByCode, mechanismByName, saltedPassword } from '../../broker/security/scram.ts';
import type { ScramUserList, UpsertScramUserRequestSchema } from '../contract/index.ts';
import { request } from './broker-calls.ts';
import { errorName } from './cluster-metadata.ts';
import type { KafkaConnection } from './connection.ts';
import { kafkaError } from './errors.ts';

const DescribeSchema = z.object({
  errorCode: z.number(),
  errorMessage: z.string().nullable(),
  results: z.array(
    z.object({
      user: z.string(),
      errorCode: z.number(),
      errorMessage: z.string().nullable(),
      credentialInfos: z.array(z.object({ mechanism: z.number(), iterations: z.number() })),
    }),
  ),
});

const AlterSchema = z.object({
  results: z.array(z.object({ user: z.string(), errorCode: z.number(), errorMessage: z.string().nullable() })),
});

function failIfError(code: number, message: string | null) {
  const name = errorName(code);
  if (name) throw kafkaError(name, message);
}

export async function listScramUsers(conn: KafkaConnection): Promise<ScramUserList> {
  const res = await request(conn.admin, null, 'DescribeUserScramCredentials', [[]], DescribeSchema);
  failIfError(res.errorCode, res.errorMessage);
  return {
    users: res.results
      .filter((r) => r.errorCode === 0)
      .map((r) => ({
        user: r.user,
        credentials: r.credentialInfos.map((c) => ({ mechanism: mechanismByCode(c.mechanism)?.name ?? 'unknown', iterations: c.iterations })),
      })),
  };
}

async function alter(conn: KafkaConnection, deletions: unknown[], upsertions: unknown[]): Promise<{ ok: true }> {
  const res = await request(conn.admin, null, 'AlterUserScramCredentials', [deletions, upsertions], AlterSchema);
  for (const r of res.results) failIfError(r.errorCode, r.errorMessage);
  return { ok: true };
}

export function upsertScramUser(conn: KafkaConnection, req: z.output<typeof UpsertScramUserRequestSchema>): Promise<{ ok: true }> {
  const m = mechanismByName(req.mechanism)!;
  const salt = randomBytes(32);
  const upsertion = { name: req.user, mechanism: m.code, iterations: req.iterations, salt, saltedPassword: saltedPassword(m, req.password, salt, req.iterations) };
  return alter(conn, [], [upsertion]);
}

export function deleteScramCredential(conn: KafkaConnection, user: string, mechanism: string): Promise<{ ok: true }> {
  const m = mechanismByName(mechanism);
  if (!m) throw kafkaError('UNSUPPORTED_SASL_MECHANISM', `Unknown SCRAM mechanism ${mechanism} (SCRAM-SHA-256 or SCRAM-SHA-512)`);
  return alter(conn, [{ name: user, mechanism: m.code }], []);
}
