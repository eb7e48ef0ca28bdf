// Journey of an attacker's page: the user has the console open, then visits a page served from
// another loopback port (any local dev server could be one). That page tries what a browser
// lets any page try: a no-cors text/plain POST that would create a topic, reading the API with
// whatever cookies the browser holds, and opening the stream WebSocket (with and without a
// stolen token). All refused, nothing created. Also: the console's own first load with
// ?token= works, drops the token from the address bar, sets no cookie and survives a reload.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sel } from './fixtures/selectors.ts';
import { expect, test, uniqueName } from './fixtures/test.ts';

async function listTopicNames(origin: string, token: string): Promise<string[]> {
  const r = await fetch(`${origin}/api/clusters/local/topics`, { headers: { 'x-samsa-token': token } });
  expect(r.status).toBe(200);
  const body = (await r.json()) as { topics: { name: string }[] };
  return body.topics.map((t) => t.name);
}

let attacker: Server;
let attackerOrigin: string;

test.beforeAll(async () => {
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>some other local page</title><h1>Nothing to see</h1>');
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', () => r()));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise<void>((r) => attacker.close(() => r()));
});

test('first load with ?token= keeps the token out of the address bar and cookies, and survives a reload', async ({ console: c, page, context }) => {
  await expect(sel.nav(page, /topics/i)).toBeVisible();
  await expect(page).toHaveURL(`${c.origin}/`);
  expect(await context.cookies()).toEqual([]);
  await page.reload();
  await sel.nav(page, /topics/i).click();
  await expect(page.getByRole('heading', { name: 'Topics', level: 1 })).toBeVisible();
  await expect(page.getByText(/needs the link printed by/)).toHaveCount(0);
});

test('without the token the UI loads and says which link to open; the API stays closed', async ({ console: c, browser }) => {
  const fresh = await browser.newPage();
  try {
    await fresh.goto(c.origin);
    await expect(fresh.getByText(/needs the link printed by/)).toBeVisible();
    expect(await fresh.evaluate(() => fetch('/api/clusters').then((r) => r.status))).toBe(401);
  } finally {
    await fresh.close();
  }
});

test('a page on another loopback port cannot create topics, read the API or open the stream', async ({ console: c, page }) => {
  await expect(sel.nav(page, /topics/i)).toBeVisible();
  const victim = uniqueName('csrf');
  await page.goto(attackerOrigin);
  const results = await page.evaluate(
    async ({ origin, token, name }) => {
      const out: Record<string, string> = {};
      // 1. The classic CSRF: a "simple" request needs no preflight, the response is opaque.
      await fetch(`${origin}/api/clusters/local/topics`, {
        method: 'POST',
        mode: 'no-cors',
        credentials: 'include',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ name, partitions: 1 }),
      }).then(
        () => (out.post = 'sent (opaque)'),
        (e: Error) => (out.post = `failed: ${e.message}`),
      );
      // 2. Reading the API with the browser's cookies for 127.0.0.1.
      await fetch(`${origin}/api/session`, { credentials: 'include' }).then(
        async (r) => (out.read = `read ${r.status}: ${await r.text()}`),
        () => (out.read = 'blocked'),
      );
      // 3. Even with the token in hand, another origin gets no preflight approval.
      await fetch(`${origin}/api/session`, { headers: { 'x-samsa-token': token } }).then(
        async (r) => (out.readWithToken = `read ${r.status}: ${await r.text()}`),
        () => (out.readWithToken = 'blocked'),
      );
      // 4. The stream socket: WebSockets are not covered by CORS; the server must refuse.
      const ws = (url: string) =>
        new Promise<string>((resolve) => {
          const s = new WebSocket(url);
          s.onopen = () => {
            s.close();
            resolve('opened');
          };
          s.onerror = () => resolve('refused');
        });
      const wsOrigin = origin.replace(/^http/, 'ws');
      out.ws = await ws(`${wsOrigin}/api/stream`);
      out.wsWithToken = await ws(`${wsOrigin}/api/stream?token=${encodeURIComponent(token)}`);
      return out;
    },
    { origin: c.origin, token: c.token, name: victim },
  );
  expect(results.read).toBe('blocked');
  expect(results.readWithToken).toBe('blocked');
  expect(results.ws).toBe('refused');
  expect(results.wsWithToken).toBe('refused');
  // The POST left the browser (no-cors does not stop it); the server is what refused it.
  expect(results.post).toBe('sent (opaque)');
  await new Promise((r) => setTimeout(r, 500));
  expect(await listTopicNames(c.origin, c.token)).not.toContain(victim);

  // The console itself still works in that browser afterwards.
  await page.goto(c.origin);
  await sel.nav(page, /topics/i).click();
  await expect(page.getByRole('heading', { name: 'Topics', level: 1 })).toBeVisible();
});
