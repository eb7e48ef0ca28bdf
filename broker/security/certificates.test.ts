// The local CA and node certificates, checked with node:crypto's X509Certificate (not with the
// library that made them): the SANs, validity, that the CA signed each node certificate, the
// files' modes, reuse on restart, and renewal when expired, missing, or naming another host.

import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { CA_VALIDITY_MS, ensureLocalCa, ensureNodeCertificate, NODE_VALIDITY_MS, tlsDir } from './certificates.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-ca-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const read = (file: string) => new X509Certificate(fs.readFileSync(file));
const DAY = 24 * 3600 * 1000;

test('a node certificate names 127.0.0.1, ::1, localhost and the advertised host, and is signed by the CA', async () => {
  const dataDir = tmp();
  const ca = await ensureLocalCa(dataDir);
  const node = await ensureNodeCertificate(ca, 2, ['broker.example.test']);
  const caCert = read(ca.certFile);
  const cert = read(node.certFile);
  assert.equal(caCert.ca, true);
  assert.equal(cert.ca, false);
  assert.equal(cert.subjectAltName, 'IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost, DNS:broker.example.test');
  assert.ok(cert.checkIP('127.0.0.1') && cert.checkIP('::1') && cert.checkHost('localhost'));
  assert.equal(cert.checkHost('other.example.test'), undefined);
  assert.match(cert.subject, /CN=samsa-node-2/);
  assert.ok(cert.checkIssued(caCert));
  assert.ok(cert.verify(caCert.publicKey));
  assert.ok(caCert.verify(caCert.publicKey));
  // A CA made elsewhere did not sign it.
  const stranger = await ensureLocalCa(tmp());
  assert.equal(cert.verify(read(stranger.certFile).publicKey), false);
  const now = Date.now();
  assert.ok(Date.parse(cert.validFrom) <= now && Date.parse(cert.validFrom) > now - 5 * 60_000);
  assert.ok(Math.abs(Date.parse(cert.validTo) - (now + NODE_VALIDITY_MS)) < 5 * 60_000);
  assert.ok(Math.abs(Date.parse(caCert.validTo) - (now + CA_VALIDITY_MS)) < 5 * 60_000);
  assert.match(cert.keyUsage?.join(',') ?? '', /1\.3\.6\.1\.5\.5\.7\.3\.1/); // serverAuth
  for (const f of [ca.keyFile, node.keyFile]) assert.equal(fs.statSync(f).mode & 0o777, 0o600);
  assert.equal(fs.statSync(tlsDir(dataDir)).mode & 0o777, 0o700);
});

test('reused on restart; renewed when expired, missing, damaged or when the hosts change; a new CA re-issues node certificates', async () => {
  const dataDir = tmp();
  const ca = await ensureLocalCa(dataDir);
  const node = await ensureNodeCertificate(ca, 1, ['127.0.0.1']);
  const first = read(node.certFile).fingerprint256;
  const again = await ensureLocalCa(dataDir);
  assert.equal(again.cert.fingerprint256, ca.cert.fingerprint256);
  assert.equal(read((await ensureNodeCertificate(again, 1, ['127.0.0.1'])).certFile).fingerprint256, first);

  // Another advertised host: a new certificate naming it.
  const moved = await ensureNodeCertificate(again, 1, ['kafka.local']);
  assert.notEqual(read(moved.certFile).fingerprint256, first);
  assert.ok(read(moved.certFile).checkHost('kafka.local'));

  // A year and a half later the node certificate has expired: renewed, still by the same CA.
  const later = Date.now() + 400 * DAY;
  const laterCa = await ensureLocalCa(dataDir, later);
  assert.equal(laterCa.cert.fingerprint256, ca.cert.fingerprint256);
  const renewed = read((await ensureNodeCertificate(laterCa, 1, ['kafka.local'], later)).certFile);
  assert.ok(Date.parse(renewed.validTo) > later + 300 * DAY);
  assert.ok(renewed.verify(ca.cert.publicKey));

  // Six years later the CA has expired: a new CA, and the node certificate follows it.
  const muchLater = Date.now() + 6 * 365 * DAY;
  const newCa = await ensureLocalCa(dataDir, muchLater);
  assert.notEqual(newCa.cert.fingerprint256, ca.cert.fingerprint256);
  const reissued = read((await ensureNodeCertificate(newCa, 1, ['kafka.local'], muchLater)).certFile);
  assert.ok(reissued.checkIssued(newCa.cert) && reissued.verify(newCa.cert.publicKey));

  // A damaged key or a deleted certificate: made again.
  fs.writeFileSync(node.keyFile, 'not a key');
  const fixed = await ensureNodeCertificate(newCa, 1, ['kafka.local'], muchLater);
  assert.ok(read(fixed.certFile).checkPrivateKey(createPrivateKey(fs.readFileSync(fixed.keyFile))));
  fs.rmSync(newCa.certFile);
  const replacedCa = await ensureLocalCa(dataDir);
  assert.notEqual(replacedCa.cert.fingerprint256, newCa.cert.fingerprint256);
});
