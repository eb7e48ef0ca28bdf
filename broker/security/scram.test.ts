// Byte-exact fixture: the SCRAM-SHA-256 exchange of RFC 7677 section 3 (user "user", password
// "pencil"), driven through our server with the RFC's server nonce, and our client proof.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clientFinal,
  credentialFromSalted,
  mechanismByName,
  parseClientFirst,
  passwordMatches,
  saltedPassword,
  ScramError,
  ScramServer,
} from './scram.ts';

const SHA256 = mechanismByName('SCRAM-SHA-256')!;
const CLIENT_FIRST = 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO';
const SERVER_NONCE = '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
const SERVER_FIRST = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
const CLIENT_FINAL =
  'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const SERVER_FINAL = 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
const cred = credentialFromSalted(SHA256, saltedPassword(SHA256, 'pencil', salt, 4096), salt, 4096);

test('RFC 7677 SCRAM-SHA-256 exchange, server side, byte for byte', () => {
  const server = new ScramServer(SHA256, () => SERVER_NONCE);
  const first = parseClientFirst(CLIENT_FIRST);
  assert.equal(first.user, 'user');
  assert.equal(server.first(first, cred), SERVER_FIRST);
  assert.equal(server.final(CLIENT_FINAL), SERVER_FINAL);
});

test('RFC 7677 SCRAM-SHA-256 exchange, client proof byte for byte', () => {
  const out = clientFinal(SHA256, 'pencil', 'n=user,r=rOprNGfwEbeRWgbNEkqO', SERVER_FIRST);
  assert.equal(out.message, CLIENT_FINAL);
  assert.equal(out.serverFinal, SERVER_FINAL);
});

test('a proof made from another password is refused', () => {
  const server = new ScramServer(SHA256, () => SERVER_NONCE);
  server.first(parseClientFirst(CLIENT_FIRST), cred);
  const wrong = clientFinal(SHA256, 'pencil2', 'n=user,r=rOprNGfwEbeRWgbNEkqO', SERVER_FIRST);
  assert.throws(() => server.final(wrong.message), ScramError);
});

test('a nonce or channel binding other than the exchange one is refused', () => {
  const server = new ScramServer(SHA256, () => SERVER_NONCE);
  server.first(parseClientFirst(CLIENT_FIRST), cred);
  assert.throws(() => server.final(CLIENT_FINAL.replace('r=rOpr', 'r=xOpr').replace('$k0', '$k1')), /nonce/);
  assert.throws(() => server.final(CLIENT_FINAL.replace('c=biws', 'c=eSws')), /channel binding/);
});

test('unknown users, bad encodings and channel binding requests are refused', () => {
  assert.throws(() => new ScramServer(SHA256).first(parseClientFirst(CLIENT_FIRST), undefined), /Invalid user credentials/);
  assert.throws(() => parseClientFirst('p=tls-unique,,n=user,r=abc'), ScramError);
  assert.throws(() => parseClientFirst('n,,n=us=er,r=abc'), /user name encoding/);
  assert.equal(parseClientFirst('n,,n=a=2Cb=3Dc,r=abc').user, 'a,b=c');
});

test('PLAIN passwords are checked against the stored credential', async () => {
  assert.equal(await passwordMatches(cred, 'pencil'), true);
  assert.equal(await passwordMatches(cred, 'Pencil'), false);
});
