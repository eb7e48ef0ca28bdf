// `samsa` with no subcommand: how it decides to show the console (Electron, browser, or only the
// URL), and end to end with a stand-in `xdg-open` on PATH that records what it was asked to
// open: the printed console URL, which serves the UI; with --no-open nothing is opened.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startCli } from '../broker/testing/cli-process.ts';
import { until } from '../broker/testing/wait.ts';
import { chooseShell, openCommand } from './app-command.ts';

test('the shell: Electron when installed, else the browser; --no-open and a Linux without display only print', () => {
  const base = { noOpen: false, browser: false, electron: '/x/electron', platform: 'linux' as const, env: { DISPLAY: ':0' } };
  assert.equal(chooseShell(base).shell, 'electron');
  assert.equal(chooseShell({ ...base, electron: null }).shell, 'browser');
  assert.equal(chooseShell({ ...base, browser: true }).shell, 'browser');
  assert.deepEqual(chooseShell({ ...base, noOpen: true }), { shell: 'print', why: '--no-open' });
  assert.equal(chooseShell({ ...base, env: {} }).shell, 'print');
  assert.match(chooseShell({ ...base, env: {} }).why!, /no display/);
  assert.equal(chooseShell({ ...base, env: { WAYLAND_DISPLAY: 'wayland-0' } }).shell, 'electron');
  assert.equal(chooseShell({ ...base, platform: 'darwin', env: {} }).shell, 'electron');
  assert.equal(chooseShell({ ...base, platform: 'win32', env: {}, electron: null }).shell, 'browser');
});

test('the browser opener per platform', () => {
  const url = 'http://127.0.0.1:5/?token=a&b';
  assert.deepEqual(openCommand('linux', url), ['xdg-open', [url]]);
  assert.deepEqual(openCommand('darwin', url), ['open', [url]]);
  assert.deepEqual(openCommand('win32', url), ['cmd', ['/c', 'start', '""', 'http://127.0.0.1:5/?token=a^&b']]);
});

for (const noOpen of [false, true]) {
  test(`npx samsa${noOpen ? ' --no-open' : ''} starts the cluster and console${noOpen ? ' and only prints the URL' : ' and opens the printed URL in the browser'}`, { timeout: 240_000 }, async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-app-'));
    const bin = path.join(tmp, 'bin');
    const opened = path.join(tmp, 'opened');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`, { mode: 0o755 });
    // The per-user data dir goes to the temp dir (XDG_DATA_HOME), Electron is not installed here.
    const env = { ...process.env, XDG_DATA_HOME: tmp, DISPLAY: ':99', PATH: `${bin}:${process.env.PATH}` };
    const app = startCli(noOpen ? ['--no-open'] : [], env);
    try {
      const url = (await app.waitFor(/console: (\S+)/, 180_000))[1];
      assert.match(app.output(), /bootstrap\.servers=127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+/);
      assert.equal((await fetch(url)).status, 200, 'the printed URL serves the console');
      assert.ok(fs.existsSync(path.join(tmp, 'samsa', 'cluster', 'cluster.json')), 'the default data dir is used');
      if (noOpen) {
        await app.waitFor(/not opening it: --no-open; open the console URL above/);
        await new Promise((r) => setTimeout(r, 1000));
        assert.equal(fs.existsSync(opened), false, 'no browser was started');
      } else {
        await app.waitFor(/opening the console in your browser/);
        const got = await until('xdg-open called', async () => fs.existsSync(opened) && fs.readFileSync(opened, 'utf8'), 10_000);
        assert.equal(got, url);
      }
    } finally {
      await app.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
}
