// SaslAuthenticate (key 36), versions 0-2. One round of the mechanism chosen by SaslHandshake:
// PLAIN in one round; SCRAM-SHA-256/512 (RFC 5802/7677) in two (client-first -> server-first,
// client-final -> server-final). Users are the SCRAM credentials of the metadata quorum
// (AlterUserScramCredentials); PLAIN checks its password against them too; the nodes' own
// inter-broker user checks against the cluster's inter-broker secret (docs/decisions/0015).
// A wrong password or malformed message is SASL_AUTHENTICATION_FAILED with Kafka's message, and
// the connection is closed after the answer. Before a handshake, or on a PLAINTEXT listener:
// ILLEGAL_SASL_STATE; after authentication too, and the connection stays (KafkaApis' answer).
// sessionLifetimeMs (v1+) is connections.max.reauth.ms (Kafka's default 0: no expiry); with it
// set, the client re-authenticates on the connection before the session expires (KIP-368: same
// mechanism and principal; security/sasl-session.ts), and a request after the expiry closes it.
// No credential has a lifetime of its own (no delegation tokens, no OAUTHBEARER), so the lifetime
// is never shortened by one.
// A restarted node checks a SCRAM user's login once it has replayed the metadata log (as a KRaft
// broker only serves after catching up; the wait is in the credentials lookup,
// security/credentials.ts): before, it would refuse users whose credentials it has not read yet.
// The inter-broker user's login never waits: the controller listener's logins are what the
// replay needs (docs/decisions/0017). On the controller listener only that user logs in.
// Deviation: Kafka's PLAIN checks passwords from the JAAS configuration (static users), not the
// SCRAM credentials in the metadata log; here one user list serves all three mechanisms.

import { ErrorCode } from '../protocol/errors.ts';
import { SaslAuthenticate } from '../protocol/messages/sasl-authenticate.ts';
import { defineHandler } from './types.ts';

export default defineHandler(SaslAuthenticate, '0-2', async (req, ctx) => {
  if (!ctx.sasl)
    return {
      errorCode: ErrorCode.ILLEGAL_SASL_STATE,
      errorMessage: 'SaslAuthenticate request received on a listener without SASL',
      authBytes: Buffer.alloc(0),
      sessionLifetimeMs: 0,
    };
  const r = await ctx.sasl.authenticate(req.authBytes);
  if (r.close) ctx.closeAfterResponse = true;
  return { errorCode: r.errorCode, errorMessage: r.errorMessage, authBytes: r.authBytes, sessionLifetimeMs: r.sessionLifetimeMs };
});
