// DescribeUserScramCredentials (key 50), version 0. The SCRAM users of the metadata quorum and,
// per user, each mechanism (1 SCRAM-SHA-256, 2 SCRAM-SHA-512) with its iterations; never the
// salt or keys. Null or empty users: every user with a credential, sorted by name. Per user:
// RESOURCE_NOT_FOUND for a user without credentials, DUPLICATE_RESOURCE for a user named twice.
// Answered from this node's applied metadata (admin changes are applied by every live broker
// before AlterUserScramCredentials answers). A node without a metadata quorum has no users.
// Authorization (--acls): DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED, as Kafka.

import { ErrorCode } from '../protocol/errors.ts';
import { DescribeUserScramCredentials } from '../protocol/messages/describe-user-scram-credentials.ts';
import { mechanismByName } from '../security/scram.ts';
import { AclOperation } from '../security/authorizer.ts';
import { clusterAllowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(DescribeUserScramCredentials, '0-0', (req, ctx) => {
  if (!clusterAllowed(ctx, AclOperation.DESCRIBE))
    return { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: 'Cluster authorization failed.', results: [] };
  const scram = ctx.broker.quorum?.state.scram ?? new Map();
  const names = req.users?.length ? req.users.map((u) => u.name) : [...scram.keys()].sort();
  const results = names.map((user, i) => {
    const none = { user, credentialInfos: [] };
    if (names.indexOf(user) !== i || names.indexOf(user, i + 1) >= 0)
      return { ...none, errorCode: ErrorCode.DUPLICATE_RESOURCE, errorMessage: `Cannot describe SCRAM credentials for the same user twice in a single request: ${user}` };
    const creds = scram.get(user);
    if (!creds?.size)
      return { ...none, errorCode: ErrorCode.RESOURCE_NOT_FOUND, errorMessage: `Attempt to describe a user credential that does not exist: ${user}` };
    const credentialInfos = [...creds.values()]
      .map((c) => ({ mechanism: mechanismByName(c.mechanism)!.code, iterations: c.iterations }))
      .sort((a, b) => a.mechanism - b.mechanism);
    return { user, errorCode: ErrorCode.NONE, errorMessage: null, credentialInfos };
  });
  // A user named twice gets one result, as Kafka's.
  const unique = results.filter((r, i) => results.findIndex((x) => x.user === r.user) === i);
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, results: unique };
});
