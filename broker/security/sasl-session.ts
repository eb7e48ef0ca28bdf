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
// Re-authentication (KIP-368), with connections.max.reauth.ms > 0: a completed authentication
// starts a session of that length (no credential here has a lifetime of its own: no delegation
// tokens, no OAUTHBEARER), sent to v1+ clients as sessionLifetimeMs. As Kafka's KafkaChannel and
// SaslServerAuthenticator do: a SaslHandshake on an authenticated connection starts a
// re-authentication (at most one per second; otherwise, or with no session lifetime, it is
// answered ILLEGAL_SASL_STATE as KafkaApis does); the mechanism and the principal must stay the
// same, else the connection closes (a changed principal after a SASL_AUTHENTICATION_FAILED
// answer, a changed mechanism at the SaslAuthenticate that follows, unanswered). Once the session
// has expired, any request but a re-authenticating SaslHandshake closes the connection. The
// expiry holds for v0 clients too, which are not told the lifetime: Kafka enforces it on every
// connection (it only counts such clients, successful-authentication-no-reauth-total).

import { createHash, timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '../protocol/errors.ts';
import { mechanismByName, parseClientFirst, passwordMatches, ScramError, ScramServer, type ScramCredential } from './scram.ts';

export const INTER_BROKER_USER = 'samsa-broker';
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

const API_VERSIONS = 18;
const SASL_HANDSHAKE = 17;
const SASL_AUTHENTICATE = 36;
/** Kafka's KafkaChannel.MIN_REAUTH_INTERVAL_ONE_SECOND_NANOS. */
const MIN_REAUTH_INTERVAL_MS = 1000;

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

/** Kafka's socket-server-metrics of re-authentication (metrics/meters.ts NodeMeters has them). */
export interface ReauthMeters {
  successfulReauthentications: number;
  failedReauthentications: number;
  expiredConnectionsKilled: number;
}

export interface AuthResult {
  errorCode: number;
  errorMessage: string | null;
  authBytes: Buffer;
  /** The connection closes after this answer (a failed authentication). */
  close: boolean;
  /** sessionLifetimeMs: 0 = no expiry. */
  sessionLifetimeMs: number;
}

const PLAIN_FAILED = 'Authentication failed: Invalid username or password';

export class SaslSession {
  private mechanism: string | null = null;
  private scramServer: ScramServer | null = null;
  /** The user named by the SCRAM client-first message. */
  private pendingUser: string | null = null;
  /** The authenticated user, once authentication is complete. */
  principal: string | null = null;
  /** During a re-authentication: the mechanism and user of the session it renews. */
  private renewing: { mechanism: string; principal: string } | null = null;
  /** A re-authentication that asked for another mechanism: its SaslAuthenticate closes the connection. */
  private badMechanism: string | null = null;
  /** When the session expires (Date.now() ms); null = never. */
  private expiresAt: number | null = null;
  private lastReauthStart = 0;

  /** `maxReauthMs`: connections.max.reauth.ms (0 = sessions never expire). */
  constructor(
    private readonly creds: SaslCredentials,
    /** The mechanisms this listener enables (Kafka's sasl.enabled.mechanisms). */
    readonly mechanisms: readonly string[] = SASL_MECHANISMS,
    private readonly maxReauthMs = 0,
    private readonly meters?: ReauthMeters,
    private readonly now: () => number = Date.now,
  ) {}

  get authenticated(): boolean {
    return this.principal !== null;
  }

  /** Why a request may not be served now, or null if it may. Kafka closes the connection then. */
  refusal(apiKey: number): string | null {
    if (this.authenticated) {
      if (apiKey === SASL_HANDSHAKE && this.mayReauthenticate()) return null;
      if (this.expiresAt !== null && this.now() > this.expiresAt) {
        if (this.meters) this.meters.expiredConnectionsKilled++;
        return `SASL session of ${this.principal} expired (connections.max.reauth.ms ${this.maxReauthMs}) and was not renewed; API ${apiKey} received`;
      }
      return null;
    }
    if (this.mechanism === null)
      return apiKey === API_VERSIONS || apiKey === SASL_HANDSHAKE ? null : `unexpected request of API ${apiKey} during SASL handshake`;
    const why = apiKey === SASL_AUTHENTICATE ? this.badMechanism : `unexpected request of API ${apiKey} during SASL ${this.authText()}`;
    if (why && this.renewing && this.meters) this.meters.failedReauthentications++;
    return why;
  }

  /** Kafka's KafkaChannel.maybeBeginServerReauthentication: a session that expires, and no
   *  re-authentication started in the last second. */
  private mayReauthenticate(): boolean {
    return this.expiresAt !== null && (this.lastReauthStart === 0 || this.now() - this.lastReauthStart >= MIN_REAUTH_INTERVAL_MS);
  }

  private authText(): string {
    return this.renewing ? 're-authentication' : 'authentication';
  }

  handshake(mechanism: string): { errorCode: number; close: boolean } {
    if (this.authenticated) {
      // Not a re-authentication: KafkaApis' answer, the connection stays.
      if (!this.mayReauthenticate()) return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, close: false };
      this.lastReauthStart = this.now();
      this.renewing = { mechanism: this.mechanism!, principal: this.principal! };
      this.principal = null;
      this.mechanism = null;
      this.scramServer = null;
      this.pendingUser = null;
    } else if (this.mechanism !== null) return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, close: true };
    if (!this.mechanisms.includes(mechanism)) return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, close: true };
    if (this.renewing && mechanism !== this.renewing.mechanism)
      this.badMechanism = `SASL mechanism '${mechanism}' requested by client is not supported for re-authentication of mechanism '${this.renewing.mechanism}'`;
    this.mechanism = mechanism;
    return { errorCode: ErrorCode.NONE, close: false };
  }

  async authenticate(bytes: Buffer): Promise<AuthResult> {
    // KafkaApis' answer on an authenticated connection; it stays open.
    if (this.authenticated)
      return { ...fail(ErrorCode.ILLEGAL_SASL_STATE, 'SaslAuthenticate request received after successful authentication'), close: false };
    if (this.mechanism === null) return fail(ErrorCode.ILLEGAL_SASL_STATE, 'SaslAuthenticate request received before SaslHandshake');
    const renewal = this.renewing !== null;
    let r = this.mechanism === 'PLAIN' ? await this.plain(bytes) : await this.scram(this.mechanism, bytes.toString('utf8'));
    if (this.authenticated) r = this.complete(r);
    if (renewal && this.meters && (r.errorCode !== ErrorCode.NONE || this.authenticated))
      this.meters[r.errorCode === ErrorCode.NONE ? 'successfulReauthentications' : 'failedReauthentications']++;
    return r;
  }

  /** The end of an authentication: the principal check of a re-authentication, the session's lifetime. */
  private complete(r: AuthResult): AuthResult {
    const previous = this.renewing;
    this.renewing = null;
    if (previous && previous.principal !== this.principal) {
      const msg = `Cannot change principals during re-authentication from User.${previous.principal}: User.${this.principal}`;
      this.principal = null;
      return fail(ErrorCode.SASL_AUTHENTICATION_FAILED, msg);
    }
    const lifetime = Math.max(0, this.maxReauthMs);
    this.expiresAt = lifetime > 0 ? this.now() + lifetime : null;
    return { ...r, sessionLifetimeMs: lifetime };
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
        return { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: Buffer.from(serverFirst), close: false, sessionLifetimeMs: 0 };
      }
      const serverFinal = this.scramServer.final(msg);
      this.principal = this.pendingUser;
      return done(Buffer.from(serverFinal));
    } catch (e) {
      if (!(e instanceof ScramError)) throw e;
      // Kafka's wording for a SaslException from the SCRAM server.
      return fail(
        ErrorCode.SASL_AUTHENTICATION_FAILED,
        `Authentication failed during ${this.authText()} due to invalid credentials with SASL mechanism ${mechanism}: ${e.message}`,
      );
    }
  }
}

function fail(errorCode: number, errorMessage: string): AuthResult {
  return { errorCode, errorMessage, authBytes: Buffer.alloc(0), close: true, sessionLifetimeMs: 0 };
}

function done(authBytes: Buffer): AuthResult {
  return { errorCode: ErrorCode.NONE, errorMessage: null, authBytes, close: false, sessionLifetimeMs: 0 };
}

/** Constant-time comparison of two secrets of any length. */
function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}
