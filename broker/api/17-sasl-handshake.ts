// SaslHandshake (key 17), versions 0-1. Picks the connection's SASL mechanism on a SASL_PLAINTEXT
// listener (`samsa cluster --security sasl`): PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; the
// answer lists them. An unknown mechanism gets UNSUPPORTED_SASL_MECHANISM and the connection is
// closed after it, as Kafka does; a second handshake before authentication completes is
// ILLEGAL_SASL_STATE (then closed). Once authenticated, a handshake starts a re-authentication
// when the session has a lifetime (connections.max.reauth.ms; KIP-368, security/sasl-session.ts);
// otherwise, and on a PLAINTEXT listener, the answer is ILLEGAL_SASL_STATE (Kafka's KafkaApis
// answer) and the connection stays. With SASL on, the controller listener enables PLAIN only (for
// the nodes' inter-broker user, docs/decisions/0017); the answer lists the listener's mechanisms.
// Version 0 is advertised as Kafka 4 does (librdkafka switches SASL on only when the range
// includes 0, then uses v1 and SaslAuthenticate).
// Deviations: after a v0 handshake Kafka reads the SASL tokens as bare size-prefixed frames
// without a request header; that framing is not served (the next frame must be a SaslAuthenticate
// request, anything else closes the connection). No GSSAPI or OAUTHBEARER.

import { ErrorCode } from '../protocol/errors.ts';
import { SaslHandshake } from '../protocol/messages/sasl-handshake.ts';
import { defineHandler } from './types.ts';

export default defineHandler(SaslHandshake, '0-1', (req, ctx) => {
  if (!ctx.sasl) return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] };
  const { errorCode, close } = ctx.sasl.handshake(req.mechanism);
  if (close) ctx.closeAfterResponse = true;
  return { errorCode, mechanisms: [...ctx.sasl.mechanisms] };
});
