// The desktop shell: launches Electron with Playwright when its binary is installed (it is an
// optional dependency); otherwise the test is skipped and says why. It checks the token hand-off:
// the preload exposes only session(), and the token is on no process's command line (Linux /proc).
import { test, expect, _electron as electron } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);

function electronBinary(): string | null {
  try {
    const path = require('electron') as unknown as string;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const ROOT = resolve(import.meta.dirname, '..');
const MAIN = resolve(ROOT, 'dist/main/electron.js');

test('the desktop app opens the console window on the bundled cluster', async () => {
  const binary = electronBinary();
  test.skip(!binary, 'Electron binary is not installed (optional dependency); run `npm install electron` to enable this test');
  test.skip(!existsSync(MAIN), 'dist/main/electron.js is missing; run `npm run build:electron` first');
  const app = await electron.launch({ executablePath: binary!, args: [MAIN, '--no-sandbox'], cwd: ROOT, timeout: 90_000 });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('navigation', { name: 'Main' })).toBeVisible({ timeout: 60_000 });
    await window.getByRole('link', { name: /topics/i }).first().click();
    await expect(window.getByRole('heading', { name: 'Topics', level: 1 })).toBeVisible();
    const exposed = await window.evaluate(() => Object.keys((window as unknown as { samsa?: object }).samsa ?? {}).sort());
    expect(exposed).toEqual(['session']);
    // The token reaches the page over IPC, never through a URL or any process's command line.
    const { token } = await window.evaluate(() => (window as unknown as { samsa: { session(): Promise<{ token: string }> } }).samsa.session());
    expect(token.length).toBeGreaterThan(16);
    expect(window.url()).not.toContain(token);
    const leaks = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(token);
        } catch {
          return false;
        }
      });
    expect(leaks).toEqual([]);
    // A frame of another origin asking for it is refused by the main process.
    const refused = await window.evaluate(async () => {
      const frame = document.createElement('iframe');
      frame.srcdoc = '<p>other</p>';
      document.body.append(frame);
      await new Promise((r) => frame.addEventListener('load', r, { once: true }));
      const bridge = (frame.contentWindow as unknown as { samsa?: { session(): Promise<unknown> } }).samsa;
      if (!bridge) return 'no bridge in subframes';
      return bridge.session().then(
        () => 'handed over',
        () => 'refused',
      );
    });
    expect(['no bridge in subframes', 'refused']).toContain(refused);
  } finally {
    await app.close();
  }
});
