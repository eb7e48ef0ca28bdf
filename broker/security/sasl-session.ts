// The SASL state of one connection on a SASL_PLAINTEXT listener, as Kafka's
// SaslServerAuthenticator keeps it: first ApiVersions (optional) and SaslHandshake, then
// SaslAuthenticate rounds until the mechanism is done; any other request before that closes the
// connection. Mechanisms: PLAIN (checked against the user's SCRAM credentials in the metadata
// log, see below) and SCRAM-SHA-256 / SCRAM-SHA-512.
// The inter-broker user (INTER_BROKER_USER) authenticates with PLAIN against a secret the
// supervisor hands every node in a 0600 file (docs/decisions/0015): the nodes' own connections
// to the broker listeners (replication, transaction markers) and to the controller listeners
// (the quorum's traffic, registrations, relayed admin requests) cannot depend on credentials
// that only the quorum can serve. The controller listener's sessions offer PLAIN only, and their
// credentials hold no SCRAM user: only the inter-broker user can log in there
// (docs/decisions/0017).
// Checking the inter-broker secret never waits; looking up a SCRAM user may wait for the node
// to replay the metadata log (the credentials source decides, credentials.ts).

import { createHash, timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '../protocol/errors.ts';
import { mechanismByName, parseClientFirst, passwordMatches, ScramError, ScramServer, type ScramCredential } from './scram.ts';

export const INTER_BROKER_USER = 'samsa-broker';
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

const API_VERSIONS = 18;
const SASL_HANDSHAKE = 17;
const SASL_AUTHENTICATE = 36;

export interface SaslCredentials {
  /** The node's inter-broker secret. */
  interBrokerPassword: string;
  /** The user's SCRAM credential for one mechanism, from the metadata log. */
  scram(user: string, mechanism: string): Promise<ScramCredential | undefined>;
  /** All of the user's SCRAM credentials (PLAIN accepts a password matching any). */
  allScram(user: string): Promise<ScramCredential[]>;
}

/** Credentials that know the inter-broker user only (the controller listener's). */
export function interBrokerOnly(interBrokerPassword: string): SaslCredentials {
  return { interBrokerPassword, scram: async () => undefined, allScram: async () => [] };
}

export interface AuthResult {
  errorCode: number;
  errorMessage: string | null;
  authBytes: Buffer;
  /** The connection closes after this answer (a failed authentication). */
  close: boolean;
}

const PLAIN_FAILED = 'Authentication failed: Invalid username or password';

export class SaslSession {
  private mechanism: string | null = null;
  private scramServer: ScramServer | null = null;
  /** The user named by the SCRAM client-first message. */
  private pendingUser: string | null = null;
  /** The authenticated user, once authentication is complete. */
  principal: string | null = null;

  constructor(
    private readonly creds: SaslCredentials,
    /** The mechanisms this listener enables (Kafka's sasl.enabled.mechanisms). */
    readonly mechanisms: readonly string[] = SASL_MECHANISMS,
  ) {}

  get authenticated(): boolean {
    return this.principal !== null;
  }

  /** Why a request may not be served now, or null if it may. Kafka closes the connection then. */
  refusal(apiKey: number): string | null {
    if (this.authenticated) return null;
    if (this.mechanism === null)
      return apiKey === API_VERSIONS || apiKey === SASL_HANDSHAKE ? null : `unexpected request of API ${apiKey} during SASL handshake`;
    return apiKey === SASL_AUTHENTICATE ? null : `unexpected request of API ${apiKey} during SASL authentication`;
  }

  handshake(mechanism: string): { errorCode: number; close: boolean } {
    if (this.authenticated || this.mechanism !== null) return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, close: true };
    if (!this.mechanisms.includes(mechanism)) return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, close: true };
    this.mechanism = mechanism;
    return { errorCode: ErrorCode.NONE, close: false };
  }

  async authenticate(bytes: Buffer): Promise<AuthResult> {
    if (this.authenticated) return fail(ErrorCode.ILLEGAL_SASL_STATE, 'SaslAuthenticate request received after successful authentication');
    if (this.mechanism === null) return fail(ErrorCode.ILLEGAL_SASL_STATE, 'SaslAuthenticate request received before SaslHandshake');
    if (this.mechanism === 'PLAIN') return this.plain(bytes);
    return this.scram(this.mechanism, bytes.toString('utf8'));
  }

  private async plain(bytes: Buffer): Promise<AuthResult> {
    // message = [authzid] NUL authcid NUL passwd (RFC 4616)
    const parts = bytes.toString('utf8').split('\0');
    if (parts.length !== 3 || !parts[1]) return fail(ErrorCode.SASL_AUTHENTICATION_FAILED, 'Invalid SASL/PLAIN response: expected 3 tokens');
    const [authzid, user, password] = parts;
    if (authzid && authzid !== user)
      return fail(ErrorCode.SASL_AUTHENTICATION_FAILED, 'Authentication failed: Client requested an authorization id that is different from username');
    let ok = false;
    if (user === INTER_BROKER_USER) ok = sameSecret(password, this.creds.interBrokerPassword);
    else for (const c of await this.creds.allScram(user)) if (!ok && (await passwordMatches(c, password))) ok = true;
    if (!ok) return fail(ErrorCode.SASL_AUTHENTICATION_FAILED, PLAIN_FAILED);
    this.principal = user;
    return done(Buffer.alloc(0));
  }

  private async scram(mechanism: string, msg: string): Promise<AuthResult> {
    try {
      if (!this.scramServer) {
        const first = parseClientFirst(msg);
        const server = new ScramServer(mechanismByName(mechanism)!);
        const serverFirst = server.first(first, await this.creds.scram(first.user, mechanism));
        this.scramServer = server;
        this.pendingUser = first.user;
        return { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: Buffer.from(serverFirst), close: false };
      }
      const serverFinal = this.scramServer.final(msg);
      this.principal = this.pendingUser;
      return done(Buffer.from(serverFinal));
    } catch (e) {
      if (!(e instanceof ScramError)) throw e;
      // Kafka's wording for a SaslException from the SCRAM server.
      return fail(
        ErrorCode.SASL_AUTHENTICATION_FAILED,
        `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}: ${e.message}`,
      );
    }
  }
}

function fail(errorCode: number, errorMessage: string): AuthResult {
  return { errorCode, errorMessage, authBytes: Buffer.alloc(0), close: true };
}

function done(authBytes: Buffer): AuthResult {
  return { errorCode: ErrorCode.NONE, errorMessage: null, authBytes, close: false };
}

/** Constant-time comparison of two secrets of any length. */
function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}
