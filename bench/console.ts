// Console figures (issue 6), part of `npm run bench` (`npm run bench -- console` runs only these):
//  - first page: a 1 000 000-message topic open in the web console (chromium); time from the
//    click on Load (seek Earliest, or an Offset in the middle) until the first message rows of
//    that page are in the DOM. Every request is a new one (no cached page is reused).
//  - search: the UI's server-side search (the same WebSocket the UI uses) for a string that only
//    a handful of messages contain, from the click on Search until the UI reports "Searched".
// `samsa serve` runs as a child process on free ports with a temp data dir, always stopped and
// removed afterwards. The topic is loaded with our own client (pipelined Produce, 1000 records a
// batch), values are ~100 B JSON with keys.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServe, type Served } from '../main/testing/serve-process.ts';
import { KafkaConnection } from '../broker/client/connection.ts';
import { CreateTopics } from '../broker/protocol/messages/create-topics.ts';
import { Produce } from '../broker/protocol/messages/produce.ts';
import { buildBatch } from '../broker/protocol/record-batch.ts';

const TOPIC = 'console-bench';
const TOTAL = Number(process.env.BENCH_CONSOLE_MESSAGES ?? 1_000_000);
const PARTITIONS = 4;
const PER_BATCH = 1000;
const IN_FLIGHT = 8;
const NEEDLES = 5;
const RUNS = 5;
const SEARCH_RUNS = 3;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

const note = (line: string) => process.stderr.write(`${line}\n`);
const progress = (label: string, done: number, total: number) =>
  process.stderr.write(`\r${label}: ${Math.round((100 * done) / total)}%   ${done === total ? '\n' : ''}`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** ~100 B JSON values with keys; NEEDLES of them, spread over the topic, carry `needle`. */
export async function load(bootstrap: string, needle: string): Promise<void> {
  const [host, port] = bootstrap.split(',')[0].split(':');
  const conn = await KafkaConnection.connect(host, Number(port), 'samsa-bench-console');
  try {
    const created = await conn.request(CreateTopics, 5, {
      topics: [{ name: TOPIC, numPartitions: PARTITIONS, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 30000,
      validateOnly: false,
    });
    const err = created.topics[0].errorCode;
    if (err !== 0) throw new Error(`CreateTopics ${TOPIC}: error ${err} ${created.topics[0].errorMessage ?? ''}`);

    const batches = Math.ceil(TOTAL / PER_BATCH);
    const needleAt = new Set(Array.from({ length: NEEDLES }, (_, i) => Math.floor(((i + 0.5) * TOTAL) / NEEDLES) + 17));
    const events = ['page_view', 'add_to_cart', 'checkout', 'login', 'search'];
    const batchAt = (b: number) => {
      const records = [];
      for (let i = b * PER_BATCH; i < Math.min(TOTAL, (b + 1) * PER_BATCH); i++) {
        const user = `user-${(i * 7919) % 50000}`;
        const doc: Record<string, unknown> = { id: i, user, event: events[i % events.length], amount: (i % 10000) / 100, sku: `SKU-${(i * 31) % 9973}` };
        if (needleAt.has(i)) doc.note = needle;
        records.push({ key: user, value: JSON.stringify(doc) });
      }
      return buildBatch(records);
    };

    let sent = 0;
    let acked = 0;
    await new Promise<void>((resolve, reject) => {
      const pump = () => {
        while (sent < batches && sent - acked < IN_FLIGHT) {
          const b = sent++;
          conn
            .request(Produce, 9, {
              acks: -1,
              timeoutMs: 30000,
              topicData: [{ name: TOPIC, partitionData: [{ index: b % PARTITIONS, records: batchAt(b) }] }],
            })
            .then((r) => {
              const code = r.responses[0].partitionResponses[0].errorCode;
              if (code !== 0) throw new Error(`produce failed: error ${code}`);
              acked++;
              if (acked % 20 === 0 || acked === batches) progress(`console bench: loading ${TOTAL} messages`, acked, batches);
              if (acked === batches) resolve();
              else pump();
            })
            .catch(reject);
        }
      };
      pump();
    });
  } finally {
    conn.close();
  }
}

declare global {
  interface Window {
    __bench?: { clickAt: number; doneAt: number };
  }
}

/**
 * Arms a click listener and a MutationObserver in the page, runs `act` (which clicks), and
 * returns the ms from the click event to the first DOM mutation after which `ready` holds.
 */
async function timeClick(page: Page, ready: string, arg: string, act: () => Promise<void>): Promise<number> {
  await page.evaluate(
    ({ src, arg }) => {
      const check = new Function('arg', `return (${src})(arg)`) as (a: string) => boolean;
      const t = (window.__bench = { clickAt: 0, doneAt: 0 });
      document.addEventListener('click', () => (t.clickAt = performance.now()), { capture: true, once: true });
      const mo = new MutationObserver(() => {
        if (t.clickAt && !t.doneAt && check(arg)) {
          t.doneAt = performance.now();
          mo.disconnect();
        }
      });
      mo.observe(document.body, { childList: true, subtree: true, characterData: true });
    },
    { src: ready, arg },
  );
  await act();
  await page.waitForFunction(() => (window.__bench?.doneAt ?? 0) > 0, undefined, { timeout: 60_000, polling: 50 });
  return page.evaluate(() => window.__bench!.doneAt - window.__bench!.clickAt);
}

// Page-side predicates, as source text (they run in the page, not in Node).
/** A message row whose offset cell is `offset` is in the DOM. */
const rowWithOffset = `(offset) => [...document.querySelectorAll('[data-testid="message-row"]')].some((r) => r.children[1]?.textContent === offset)`;
/** The search status line says the search has finished. */
const searchDone = `(prefix) => [...document.querySelectorAll('.status-line span')].some((s) => s.textContent?.startsWith(prefix))`;

async function openTopic(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /topics/i }).click();
  await page.getByRole('table', { name: 'Topics' }).getByRole('link', { name: TOPIC, exact: true }).click();
  await page.getByTestId('message-row').first().waitFor({ timeout: 60_000 });
  return page;
}

async function browse(page: Page, mode: 'Earliest' | 'Offset', offset?: number): Promise<number> {
  const form = page.getByRole('form', { name: 'Browse messages' });
  await form.getByLabel('Seek mode').selectOption({ label: mode });
  if (offset !== undefined) await form.getByLabel('Offset').fill(String(offset));
  const load = form.getByRole('button', { name: 'Load' });
  await load.waitFor();
  return timeClick(page, rowWithOffset, String(offset ?? 0), () => load.click());
}

async function search(page: Page, needle: string): Promise<{ ms: number; status: string }> {
  const box = page.getByRole('search');
  await box.getByLabel('Search messages').fill(needle);
  const ms = await timeClick(page, searchDone, 'Searched ', () => box.getByRole('button', { name: 'Search' }).click());
  const status = (await page.locator('.status-line span').first().textContent()) ?? '';
  await page.getByRole('button', { name: 'Back to browsing' }).click();
  return { ms, status };
}

export async function runConsoleBench(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-bench-console-'));
  let served: Served | undefined;
  let browser: Browser | undefined;
  try {
    note('console bench: starting samsa serve (builds the UI on first use)');
    served = await startServe({ dataDir, timeoutMs: 180_000 });
    const needle = `needle-${Math.random().toString(36).slice(2, 10)}`;
    const t0 = performance.now();
    await load(served.bootstrap, needle);
    const loadSecs = (performance.now() - t0) / 1000;

    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const page = await openTopic(browser, served.url);

    // Warm-up (first fetch through the console's Kafka clients, JIT), not counted.
    await browse(page, 'Offset', 1);

    const firstPage: number[] = [];
    const perPartition = Math.floor(TOTAL / PARTITIONS);
    for (let run = 0; run < RUNS; run++) {
      progress('console bench: first page', run, RUNS);
      // A new page each time: Earliest on the first run, then offsets spread over the partitions.
      const ms = run === 0 ? await browse(page, 'Earliest') : await browse(page, 'Offset', Math.floor((run * perPartition) / RUNS) + run);
      firstPage.push(ms);
    }
    progress('console bench: first page', RUNS, RUNS);

    const searches: number[] = [];
    let status = '';
    for (let run = 0; run < SEARCH_RUNS; run++) {
      progress('console bench: search', run, SEARCH_RUNS);
      const r = await search(page, needle);
      searches.push(r.ms);
      status = r.status;
    }
    progress('console bench: search', SEARCH_RUNS, SEARCH_RUNS);
    const matched = /([\d,.\s]+) matches/.exec(status)?.[1]?.replace(/\D/g, '');
    if (Number(matched) !== NEEDLES) throw new Error(`search found ${matched} matches, expected ${NEEDLES} (status: ${status})`);

    const fmtRuns = (xs: number[]) => xs.map((x) => Math.round(x)).join(', ');
    console.log(`console: ${TOTAL} messages of ~100 B JSON in ${PARTITIONS} partitions, loaded in ${loadSecs.toFixed(1)} s`);
    console.log(`console: first page of ${TOTAL}-message topic  ${Math.round(median(firstPage))} ms (aim < 300)  runs ${fmtRuns(firstPage)}`);
    console.log(`console: search over ${TOTAL} messages  ${Math.round(median(searches))} ms (aim < 5000)  runs ${fmtRuns(searches)}, ${NEEDLES} matches`);
  } finally {
    await browser?.close().catch(() => {});
    await served?.stop().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runConsoleBench();
