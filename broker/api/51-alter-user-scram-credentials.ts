// AlterUserScramCredentials (key 51), version 0. Upserts and deletes SCRAM credentials in the
// metadata quorum (UserScramCredential / RemoveUserScramCredential records, Kafka's
// UserScramCredentialRecord): the client sends salt and salted password, the controller keeps
// StoredKey and ServerKey. Served by the controller (any node relays it there); the answer comes
// once every live broker has applied the change, so a client may authenticate with the new
// password on any node at once.
// Per user, as Kafka's ScramControlManager: an unknown mechanism is UNSUPPORTED_SASL_MECHANISM;
// fewer than 4096 or more than 16384 iterations, an empty name, salt or salted password are
// UNACCEPTABLE_CREDENTIAL; the same (user, mechanism) twice is DUPLICATE_RESOURCE; deleting a
// credential that does not exist is RESOURCE_NOT_FOUND. One failure fails all of that user's
// changes; the other users' still apply.
// Deviations: the name of the nodes' inter-broker user is refused (UNACCEPTABLE_CREDENTIAL): it
// authenticates with the cluster's secret, not a SCRAM credential.
// Authorization (--acls): ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED for every user, as Kafka.

import { controllerError } from '../metadata/controller-error.ts';
import type { MetadataRecord, MetadataState } from '../metadata/metadata-state.ts';
import { ADMIN_TIMEOUT_MS } from '../metadata/types.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { AlterUserScramCredentials } from '../protocol/messages/alter-user-scram-credentials.ts';
import type { RequestOf } from '../protocol/schema.ts';
import { toStored } from '../security/credentials.ts';
import { INTER_BROKER_USER } from '../security/sasl-session.ts';
import { credentialFromSalted, MAX_ITERATIONS, mechanismByCode, MIN_ITERATIONS } from '../security/scram.ts';
import { AclOperation } from '../security/authorizer.ts';
import { clusterAllowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

type Request = RequestOf<typeof AlterUserScramCredentials>;
type Result = { user: string; errorCode: number; errorMessage: string | null };

export default defineHandler(AlterUserScramCredentials, '0-0', async (req, ctx) => {
  const users = [...new Set([...req.deletions, ...req.upsertions].map((c) => c.name))];
  const q = ctx.broker.quorum;
  const all = (errorCode: number, errorMessage: string) => ({
    throttleTimeMs: 0,
    results: users.map((user) => ({ user, errorCode, errorMessage })),
  });
  if (!clusterAllowed(ctx, AclOperation.ALTER)) return all(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'Cluster authorization failed.');
  if (!q) return all(ErrorCode.NOT_CONTROLLER, 'A single node without a metadata quorum keeps no SCRAM credentials.');
  return q
    .onController(AlterUserScramCredentials, 0, req, ADMIN_TIMEOUT_MS, async () => ({
      throttleTimeMs: 0,
      results: await q.controller.alterSecurity(() => plan(q.state, req, users), Date.now() + ADMIN_TIMEOUT_MS, 'SCRAM credentials were changed'),
    }))
    .catch((e) => {
      const { errorCode, errorMessage } = controllerError(e);
      return all(errorCode, errorMessage);
    });
});

/** The records of every valid user's changes and one result per user, against the current state. */
function plan(state: MetadataState, req: Request, users: string[]): { records: MetadataRecord[]; result: Result[] } {
  const records: MetadataRecord[] = [];
  const result = users.map((user) => {
    const deletions = req.deletions.filter((d) => d.name === user);
    const upsertions = req.upsertions.filter((u) => u.name === user);
    const error = check(state, user, deletions, upsertions);
    if (error) return { user, errorCode: error[0], errorMessage: error[1] };
    for (const d of deletions)
      records.push({ type: 'RemoveUserScramCredential', name: user, mechanism: mechanismByCode(d.mechanism)!.name });
    for (const u of upsertions) {
      const m = mechanismByCode(u.mechanism)!;
      records.push({ type: 'UserScramCredential', name: user, ...toStored(credentialFromSalted(m, u.saltedPassword, u.salt, u.iterations)) });
    }
    return { user, errorCode: ErrorCode.NONE, errorMessage: null };
  });
  return { records, result };
}

function check(
  state: MetadataState,
  user: string,
  deletions: Request['deletions'],
  upsertions: Request['upsertions'],
): [number, string] | null {
  if (!user) return [ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Username must not be empty'];
  if (user === INTER_BROKER_USER) return [ErrorCode.UNACCEPTABLE_CREDENTIAL, `${user} is the cluster's inter-broker user; its secret is not a SCRAM credential`];
  const mechanisms = [...deletions, ...upsertions].map((c) => c.mechanism);
  if (mechanisms.some((code) => !mechanismByCode(code))) return [ErrorCode.UNSUPPORTED_SASL_MECHANISM, 'Unknown SCRAM mechanism'];
  if (new Set(mechanisms).size !== mechanisms.length)
    return [ErrorCode.DUPLICATE_RESOURCE, 'A user credential cannot be altered twice in the same request'];
  for (const u of upsertions) {
    if (u.iterations < MIN_ITERATIONS) return [ErrorCode.UNACCEPTABLE_CREDENTIAL, `Too few iterations: at least ${MIN_ITERATIONS}`];
    if (u.iterations > MAX_ITERATIONS) return [ErrorCode.UNACCEPTABLE_CREDENTIAL, `Too many iterations: at most ${MAX_ITERATIONS}`];
    if (!u.salt.length) return [ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Salt must not be empty'];
    if (!u.saltedPassword.length) return [ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Salted password must not be empty'];
  }
  for (const d of deletions)
    if (!state.scram.get(user)?.has(mechanismByCode(d.mechanism)!.name))
      return [ErrorCode.RESOURCE_NOT_FOUND, 'Attempt to delete a user credential that does not exist'];
  return null;
}
