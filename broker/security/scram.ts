// SCRAM (RFC 5802) with SHA-256 / SHA-512 (RFC 7677), as Kafka uses it: the server keeps only
// salt, iterations, StoredKey and ServerKey per user and mechanism; the client proves it knows the
// password without sending it. Pure functions over node:crypto, plus the server's side of one
// exchange (client-first -> server-first, client-final -> server-final) as a small state machine.
// Kafka's SCRAM extensions (e.g. tokenauth) are accepted and ignored: no delegation tokens here.

import { createHash, createHmac, pbkdf2, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export type ScramMechanismName = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

interface MechanismInfo {
  name: ScramMechanismName;
  /** The int8 of DescribeUserScramCredentials / AlterUserScramCredentials. */
  code: number;
  hash: 'sha256' | 'sha512';
  keyLength: number;
}

export const SCRAM_MECHANISMS: readonly MechanismInfo[] = [
  { name: 'SCRAM-SHA-256', code: 1, hash: 'sha256', keyLength: 32 },
  { name: 'SCRAM-SHA-512', code: 2, hash: 'sha512', keyLength: 64 },
];

/** Kafka's bounds on iterations (ScramMechanism.minIterations, and its 16384 upper limit). */
export const MIN_ITERATIONS = 4096;
export const MAX_ITERATIONS = 16384;
export const DEFAULT_ITERATIONS = 4096;

export const mechanismByName = (name: string) => SCRAM_MECHANISMS.find((m) => m.name === name);
export const mechanismByCode = (code: number) => SCRAM_MECHANISMS.find((m) => m.code === code);

export interface ScramCredential {
  mechanism: ScramMechanismName;
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (m: MechanismInfo, key: Buffer, data: string | Buffer) => createHmac(m.hash, key).update(data).digest();
const digest = (m: MechanismInfo, data: Buffer) => createHash(m.hash).update(data).digest();

export function saltedPassword(m: MechanismInfo, password: string, salt: Buffer, iterations: number): Buffer {
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, m.keyLength, m.hash);
}

function saltedPasswordAsync(m: MechanismInfo, password: string, salt: Buffer, iterations: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    pbkdf2(Buffer.from(password, 'utf8'), salt, iterations, m.keyLength, m.hash, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

/** The stored form of a salted password (what AlterUserScramCredentials sends). */
export function credentialFromSalted(m: MechanismInfo, salted: Buffer, salt: Buffer, iterations: number): ScramCredential {
  const clientKey = hmac(m, salted, 'Client Key');
  return { mechanism: m.name, salt, iterations, storedKey: digest(m, clientKey), serverKey: hmac(m, salted, 'Server Key') };
}

/** A fresh credential for a password: random 32-byte salt, as Kafka's ScramFormatter. */
export function newCredential(m: MechanismInfo, password: string, iterations = DEFAULT_ITERATIONS): ScramCredential {
  const salt = randomBytes(32);
  return credentialFromSalted(m, saltedPassword(m, password, salt, iterations), salt, iterations);
}

/** Whether a clear-text password matches a stored credential (SASL/PLAIN over SCRAM credentials). */
export async function passwordMatches(c: ScramCredential, password: string): Promise<boolean> {
  const m = mechanismByName(c.mechanism)!;
  const salted = await saltedPasswordAsync(m, password, c.salt, c.iterations);
  return timingSafeEqual(credentialFromSalted(m, salted, c.salt, c.iterations).storedKey, c.storedKey);
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

/** saslname of RFC 5802: ',' and '=' travel as =2C and =3D; any other '=' is malformed. */
function decodeSaslName(s: string): string {
  if (/=(?!2C|3D)/.test(s)) throw new ScramError(`invalid user name encoding: ${s}`);
  return s.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

export function encodeSaslName(s: string): string {
  return s.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** attributes "k=v,k=v" of a SCRAM message, in order. */
function attributes(msg: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of msg.split(',')) {
    const eq = part.indexOf('=');
    if (eq !== 1) throw new ScramError(`invalid SCRAM attribute '${part}'`);
    out.set(part[0], part.slice(2));
  }
  return out;
}

/** A malformed message or a failed proof: the exchange ends with SASL_AUTHENTICATION_FAILED. */
export class ScramError extends Error {
  override name = 'ScramError';
}

export interface ClientFirst {
  gs2Header: string;
  bare: string;
  user: string;
  nonce: string;
}

export function parseClientFirst(msg: string): ClientFirst {
  // gs2-header = cbind-flag "," [authzid] "," ; Kafka allows no channel binding ("n" or "y").
  const m = /^([ny]),(a=[^,]*)?,(.*)$/s.exec(msg);
  if (!m) throw new ScramError('invalid SCRAM client-first message (channel binding is not supported)');
  const bare = m[3];
  const a = attributes(bare);
  const user = a.get('n');
  const nonce = a.get('r');
  if (user === undefined || !nonce) throw new ScramError('SCRAM client-first message needs n= and r=');
  const authzid = m[2] ? decodeSaslName(m[2].slice(2)) : '';
  const name = decodeSaslName(user);
  if (authzid && authzid !== name) throw new ScramError('Authentication failed: Client requested an authorization id that is different from username');
  return { gs2Header: `${m[1]},${m[2] ?? ''},`, bare, user: name, nonce };
}

/**
 * The server's side of one SCRAM exchange. `first` answers the client-first message (the
 * credential is looked up by the caller from the user name), `final` checks the proof and returns
 * the server-final message; any failure throws a ScramError.
 */
export class ScramServer {
  private state: { first: ClientFirst; serverFirst: string; nonce: string; cred: ScramCredential } | null = null;

  constructor(
    private readonly m: MechanismInfo,
    private readonly serverNonce: () => string = () => randomBytes(24).toString('base64url'),
  ) {}

  first(first: ClientFirst, cred: ScramCredential | undefined): string {
    if (!cred) throw new ScramError('Authentication failed: Invalid user credentials');
    const nonce = first.nonce + this.serverNonce();
    const serverFirst = `r=${nonce},s=${cred.salt.toString('base64')},i=${cred.iterations}`;
    this.state = { first, serverFirst, nonce, cred };
    return serverFirst;
  }

  final(msg: string): string {
    const st = this.state;
    if (!st) throw new ScramError('SCRAM client-final message before client-first');
    const proofAt = msg.lastIndexOf(',p=');
    if (proofAt < 0) throw new ScramError('SCRAM client-final message without a proof');
    const withoutProof = msg.slice(0, proofAt);
    const a = attributes(withoutProof);
    if (a.get('c') !== Buffer.from(st.first.gs2Header).toString('base64'))
      throw new ScramError('SCRAM channel binding does not match the client-first message');
    // endsWith, as Kafka's ScramSaslServer: librdkafka 2.0 sends its own nonce in front of the
    // combined one, and signs what it sent.
    if (!a.get('r')?.endsWith(st.nonce)) throw new ScramError('Invalid client nonce in the final client message.');
    const proof = Buffer.from(msg.slice(proofAt + 3), 'base64');
    const authMessage = `${st.first.bare},${st.serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.m, st.cred.storedKey, authMessage);
    if (proof.length !== clientSignature.length) throw new ScramError('Invalid client proof');
    const storedKey = digest(this.m, xor(proof, clientSignature));
    if (!timingSafeEqual(storedKey, st.cred.storedKey)) throw new ScramError('Invalid client proof');
    return `v=${hmac(this.m, st.cred.serverKey, authMessage).toString('base64')}`;
  }
}

/** The client's proof for an exchange (tests, and any of our own clients that speak SCRAM). */
export function clientFinal(m: MechanismInfo, password: string, clientFirstBare: string, serverFirst: string, gs2Header = 'n,,') {
  const a = attributes(serverFirst);
  const salted = saltedPassword(m, password, Buffer.from(a.get('s')!, 'base64'), Number(a.get('i')));
  const withoutProof = `c=${Buffer.from(gs2Header).toString('base64')},r=${a.get('r')}`;
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const clientKey = hmac(m, salted, 'Client Key');
  const proof = xor(clientKey, hmac(m, digest(m, clientKey), authMessage));
  const serverSignature = hmac(m, hmac(m, salted, 'Server Key'), authMessage).toString('base64');
  return { message: `${withoutProof},p=${proof.toString('base64')}`, serverFinal: `v=${serverSignature}` };
}
