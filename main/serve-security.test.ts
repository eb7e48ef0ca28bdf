// `samsa serve --security sasl+tls`: the bundled cluster runs SASL_SSL and the console reaches it
// with the admin login and the local CA it was handed over IPC; the printed CA path is a file
// clients can trust; a remote-cluster entry with the CA and the right password works, with a
// wrong password it is refused as an authentication failure, and without the CA as an untrusted
// certificate, each answered at once with a readable message (never a hang).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { samsa, startCli } from '../broker/testing/cli-process.ts';
import { findFreeBlock } from '../broker/supervisor/ports.ts';

test('serve --security sasl+tls: the console reaches its secured bundled cluster; remote entries with a wrong password or no CA fail readably', { timeout: 300_000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-serve-tls-'));
  const base = await findFreeBlock(20000 + Math.floor(Math.random() * 20000), 3, '127.0.0.1');
  const serve = startCli(['serve', '--nodes', '3', '--kafka-port', String(base), '--port', '0', '--data-dir', dataDir, '--security', 'sasl+tls']);
  try {
    const page = new URL((await serve.waitFor(/console: (\S+)/, 180_000))[1]);
    const headers = { 'x-samsa-token': page.searchParams.get('token')!, 'content-type': 'application/json' };
    const out = serve.output();
    assert.match(out, /^security\.protocol=SASL_SSL sasl\.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512$/m);
    const [, caFile, clientCa] = /^ca (\S+) \(clients: ssl\.ca\.location=(\S+)\)$/m.exec(out)!;
    assert.equal(caFile, clientCa);
    const caPem = fs.readFileSync(caFile, 'utf8');
    const password = /^sasl user admin password (\S+) /m.exec(out)![1];
    const bootstrap = /^bootstrap\.servers=(\S+)$/m.exec(out)![1];

    const api = async (p: string, body?: unknown) => {
      const r = await fetch(`${page.origin}${p}`, { method: body ? 'POST' : 'GET', headers, body: body ? JSON.stringify(body) : undefined });
      return { status: r.status, json: (await r.json()) as { brokers?: unknown[]; id?: string; tls?: boolean; error?: { code: string; message: string } } };
    };
    const local = await api('/api/clusters/local/overview');
    assert.equal(local.status, 200, JSON.stringify(local.json));
    assert.equal(local.json.brokers?.length, 3);

    const remote = async (pw: string, tlsCa: string | undefined) => {
      const added = await api('/api/clusters', { name: `r-${pw.length}-${Boolean(tlsCa)}`, bootstrap, tls: true, ...(tlsCa ? { tlsCa } : {}), sasl: { mechanism: 'SCRAM-SHA-512', username: 'admin', password: pw } });
      assert.equal(added.status, 200, JSON.stringify(added.json));
      assert.equal(added.json.tls, true);
      const started = Date.now();
      const r = await api(`/api/clusters/${added.json.id}/overview`);
      return { ...r, ms: Date.now() - started };
    };
    const right = await remote(password, caPem);
    assert.equal(right.status, 200, JSON.stringify(right.json));
    const wrong = await remote('not-the-password', caPem);
    assert.equal(wrong.status, 401, JSON.stringify(wrong.json));
    assert.equal(wrong.json.error?.code, 'SASL_AUTHENTICATION_FAILED');
    assert.ok(wrong.ms < 30_000, `answered in ${wrong.ms} ms`);
    const untrusted = await remote(password, undefined);
    assert.equal(untrusted.status, 502, JSON.stringify(untrusted.json));
    assert.equal(untrusted.json.error?.code, 'CLUSTER_UNREACHABLE');
    assert.match(untrusted.json.error!.message, /certificate/i);
    assert.ok(untrusted.ms < 30_000, `answered in ${untrusted.ms} ms`);
    const notACa = await api('/api/clusters', { name: 'bad-ca', bootstrap, tls: true, tlsCa: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n' });
    assert.equal(notACa.status, 400);
    assert.match(notACa.json.error!.message, /not a readable PEM certificate/);
  } finally {
    await serve.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('serve --acls without SASL is refused before anything starts: ACLs name authenticated users', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-serve-acls-'));
  try {
    const r = await samsa(['serve', '--acls', '--data-dir', dataDir, '--port', '0']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /--acls needs --security sasl or sasl\+tls/);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
