// The local certificate authority of a cluster started with `--security tls|sasl+tls`
// (docs/decisions/0016), made with @peculiar/x509 over node:crypto's WebCrypto (ECDSA P-256,
// SHA-256) and kept in <dataDir>/security/tls (0700):
//   ca.pem, ca.key            the CA (clients trust ca.pem: ssl.ca.location, kafkajs ssl.ca)
//   node-<id>.pem, .key       node <id>'s server certificate (its broker listener), signed by the CA
// Keys are PKCS#8 PEM, mode 0600. Everything is reused on restart and made again when missing,
// unreadable, expired or expiring within RENEW_BEFORE_MS; a new CA re-issues every node
// certificate (the old ones no longer chain to it). A node certificate also names, besides
// 127.0.0.1, ::1 and localhost, the host clients are told (advertised.listeners), so hostname
// verification passes wherever the nodes are reached.

import { webcrypto, X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY = 24 * 3600 * 1000;
export const CA_VALIDITY_MS = 5 * 365 * DAY;
/** Server certificates: 397 days, the longest browsers and Apple clients accept. */
export const NODE_VALIDITY_MS = 397 * DAY;
/** Certificates this close to expiry are renewed at start. */
export const RENEW_BEFORE_MS = 7 * DAY;
/** Names every node certificate carries: the loopback ways a client on this machine dials it. */
export const LOOPBACK_NAMES = ['127.0.0.1', '::1', 'localhost'];

export interface PemPair {
  certFile: string;
  keyFile: string;
}

export interface LocalCa extends PemPair {
  cert: X509Certificate;
  key: CryptoKey;
}

/** Where the CA's files are for a data dir (whether or not they exist yet). */
export function tlsDir(dataDir: string): string {
  return path.join(dataDir, 'security', 'tls');
}

function pairIn(dir: string, name: string): PemPair {
  return { certFile: path.join(dir, `${name}.pem`), keyFile: path.join(dir, `${name}.key`) };
}

/** The pair's certificate, if both files are there, parse and the key belongs to the certificate. */
function readPair(p: PemPair): { cert: X509Certificate; keyPem: string } | undefined {
  try {
    const cert = new X509Certificate(fs.readFileSync(p.certFile));
    const keyPem = fs.readFileSync(p.keyFile, 'utf8');
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return undefined;
    return { cert, keyPem };
  } catch {
    return undefined;
  }
}

const fresh = (cert: X509Certificate, now: number) =>
  Date.parse(cert.validFrom) <= now && Date.parse(cert.validTo) - RENEW_BEFORE_MS > now;

async function newKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

async function writePair(p: PemPair, cert: x509.X509Certificate, key: CryptoKey): Promise<void> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const keyPem = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' });
  // The key first, then the certificate: a crash between them leaves a pair readPair() rejects.
  for (const [file, text, mode] of [
    [p.keyFile, keyPem.toString(), 0o600],
    [p.certFile, cert.toString('pem') + '\n', 0o644],
  ] as const) {
    fs.writeFileSync(file + '.tmp', text, { mode });
    fs.chmodSync(file + '.tmp', mode);
    fs.renameSync(file + '.tmp', file);
  }
}

const serial = () => {
  const b = randomBytes(16);
  b[0] &= 0x7f; // a positive INTEGER
  return b.toString('hex');
};

/** The data dir's CA: the one on disk if usable, else a new one. */
export async function ensureLocalCa(dataDir: string, now = Date.now()): Promise<LocalCa> {
  const dir = tlsDir(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = pairIn(dir, 'ca');
  const existing = readPair(p);
  if (existing && existing.cert.ca && fresh(existing.cert, now)) {
    const der = createPrivateKey(existing.keyPem).export({ format: 'der', type: 'pkcs8' });
    const key = await webcrypto.subtle.importKey('pkcs8', der, ALG, false, ['sign']);
    return { ...p, cert: existing.cert, key };
  }
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=Samsa local CA ${new Date(now).toISOString().slice(0, 10)} ${randomBytes(4).toString('hex')}, O=Samsa`,
    notBefore: new Date(now - 60_000), // tolerate a little clock skew between processes
    notAfter: new Date(now + CA_VALIDITY_MS),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  await writePair(p, cert, keys.privateKey);
  return { ...p, cert: new X509Certificate(cert.toString('pem')), key: keys.privateKey };
}

/** Every name a node certificate must carry for `hosts` (the loopback names always). */
export function certificateNames(hosts: string[]): string[] {
  return [...new Set([...LOOPBACK_NAMES, ...hosts.map((h) => h.replace(/^\[|\]$/g, '').toLowerCase())])];
}

function coversNames(cert: X509Certificate, names: string[]): boolean {
  return names.every((n) => (net.isIP(n) ? cert.checkIP(n) !== undefined : cert.checkHost(n) !== undefined));
}

/**
 * Node `nodeId`'s server certificate, signed by `ca`, naming `hosts` besides the loopback names:
 * the one on disk if it chains to `ca`, is fresh and names them all, else a new one.
 */
export async function ensureNodeCertificate(ca: LocalCa, nodeId: number, hosts: string[], now = Date.now()): Promise<PemPair> {
  const p = pairIn(path.dirname(ca.certFile), `node-${nodeId}`);
  const names = certificateNames(hosts);
  const existing = readPair(p);
  if (existing && existing.cert.checkIssued(ca.cert) && existing.cert.verify(ca.cert.publicKey) && fresh(existing.cert, now) && coversNames(existing.cert, names))
    return p;
  const keys = await newKeys();
  const caCert = new x509.X509Certificate(ca.cert.raw);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=samsa-node-${nodeId}, O=Samsa`,
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(Math.min(now + NODE_VALIDITY_MS, Date.parse(ca.cert.validTo))),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      // clientAuth too: a node presents it when it dials another node's listener under mutual TLS.
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((n): x509.JsonGeneralName => ({ type: net.isIP(n) ? 'ip' : 'dns', value: n }))),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  await writePair(p, cert, keys.privateKey);
  return p;
}
