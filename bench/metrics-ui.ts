// The live charts under a full hour, part of `npm run bench` (`npm run bench -- metrics-ui`
// runs only this): the Overview of a one-node cluster in Chromium with the 1 h window, 12 series
// of 3600 points each (the console server's history seeded with an hour of points, then the
// node's real samples a second after), a light producer running so the rates move. For 30 s a
// PerformanceObserver counts the main thread's long tasks (over 50 ms) and requestAnimationFrame
// counts frames; also counted: how often the "Messages in" line was redrawn (about once a second
// if the charts keep up). Printed: the longest task (aim: none over 50 ms), the frame rate, the
// redraws and how many points one line is drawn with. Over the same seconds a Chromium trace
// (its toplevel tasks) gives every main-thread task's wall time and its thread (CPU) time: on a
// shared machine a task is stretched by the other processes that take its core, so the longest
// task's CPU time is printed beside its wall time. BENCH_METRICS_UI_STATIC=<dir> serves that
// renderer build instead of this tree's (`npx vite build --outDir <dir>` of another commit), to
// compare two builds in turns under the same load of a shared machine.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { chromium, type Browser } from 'playwright-core';
import { findFreeBlock } from '../broker/supervisor/ports.ts';
import { startCluster } from '../broker/supervisor/supervisor.ts';
import type { Metric, SeriesLabels } from '../main/contract/metrics.ts';
import { ClusterRegistry } from '../main/kafka/cluster-registry.ts';
import { startConsoleServer } from '../main/server/console-server.ts';
import type { MetricsHistory } from '../main/server/metrics-history.ts';
import { targetsFromNodes } from '../main/server/metrics-targets.ts';
import { ensureRendererBuilt } from '../main/server/renderer-build.ts';

const POINTS = 3600;
const MEASURE_MS = Number(process.env.BENCH_METRICS_UI_MS ?? 30_000);
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

/** The Overview's series on a one-node cluster, with a plausible level for each. */
const SERIES: [Metric, Partial<SeriesLabels>, number][] = [
  ['bytesIn', {}, 2e6],
  ['bytesOut', {}, 4e6],
  ['messagesIn', {}, 5000],
  ['messagesIn', { node: 1 }, 5000],
  ['bytesIn', { node: 1 }, 2e6],
  ['bytesOut', { node: 1 }, 4e6],
  ['produceP99', {}, 8],
  ['fetchP99', {}, 500],
  ['underReplicated', {}, 0],
  ['offline', {}, 0],
  ['cpu', { node: 1 }, 30],
  ['rss', { node: 1 }, 150e6],
];

/** An hour of 1 s points ending before the collector's first tick: waves, so every pixel column differs. */
function seedHour(history: MetricsHistory): void {
  const end = Math.floor(Date.now() / 1000) * 1000 - 1000;
  for (let i = 0; i < POINTS; i++) {
    const t = end - (POINTS - 1 - i) * 1000;
    const values = new Map<string, number>();
    SERIES.forEach(([metric, labels, level], j) => {
      const wave = 0.5 + 0.4 * Math.sin(i / (40 + 7 * j)) + 0.1 * Math.sin(i / 3 + j);
      values.set(history.catalog.meta(metric, labels).key, level === 0 ? (i % 600 < 30 ? 2 : 0) : level * wave);
    });
    history.append(t, values);
  }
}

async function produceUntil(bootstrap: string, signal: AbortSignal): Promise<void> {
  const producer = new Kafka({ brokers: [bootstrap], clientId: 'bench-metrics-ui', logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    while (!signal.aborted) {
      await producer.send({ topic: 'ui-bench', acks: 1, messages: Array.from({ length: 50 }, (_, i) => ({ value: `v${i}` })) });
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await producer.disconnect();
  }
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** The renderer main thread's tasks in a trace: wall and thread time in ms, longest wall first. */
function mainThreadTasks(trace: Buffer): { wall: number; cpu: number }[] {
  const events: TraceEvent[] = JSON.parse(trace.toString('utf8')).traceEvents;
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  return events
    .filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.ph === 'X' && main.has(`${e.pid}:${e.tid}`))
    .map((e) => ({ wall: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? 0) / 1000 }))
    .sort((a, b) => b.wall - a.wall);
}

interface Measured {
  longTasks: number[];
  frames: number;
  maxFrameGap: number;
  redraws: number;
  ms: number;
}

/** The in-page measurement, as source text: tsx's helpers (__name) do not exist in the page. */
const measure = (sel: string, ms: number) => `new Promise((resolve) => {
  const longTasks = [];
  const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) longTasks.push(e.duration); });
  obs.observe({ type: 'longtask' });
  const sel = ${JSON.stringify(sel)};
  let frames = 0, redraws = 0, maxFrameGap = 0;
  let last = document.querySelector(sel)?.getAttribute('d');
  const t0 = performance.now();
  let prev = t0;
  function loop(now) {
    frames++;
    maxFrameGap = Math.max(maxFrameGap, now - prev);
    prev = now;
    const d = document.querySelector(sel)?.getAttribute('d');
    if (d !== last) redraws++;
    last = d;
    if (now - t0 < ${ms}) requestAnimationFrame(loop);
    else { obs.disconnect(); resolve({ longTasks, frames, maxFrameGap, redraws, ms: now - t0 }); }
  }
  requestAnimationFrame(loop);
})`;

export async function runMetricsUiBench(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-bench-ui-'));
  const cluster = await startCluster({ nodes: 1, basePort: await findFreeBlock(39092, 1, '127.0.0.1'), dataDir: path.join(dataDir, 'cluster') });
  const registry = new ClusterRegistry({ appDataDir: path.join(dataDir, 'console'), bundledBootstrap: [cluster.bootstrap] });
  const server = await startConsoleServer({
    registry,
    staticDir: process.env.BENCH_METRICS_UI_STATIC ?? (await ensureRendererBuilt()),
    metricsTargets: targetsFromNodes(() => cluster.nodes),
    metricsSeed: (_id, history) => seedHour(history),
  });
  const stop = new AbortController();
  let browser: Browser | undefined;
  try {
    const producing = produceUntil(cluster.bootstrap, stop.signal);
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.pageUrl);
    await page.getByRole('group', { name: 'Time window' }).getByRole('button', { name: '1 h' }).click();
    const line = '[data-testid="chart-messages-in"] .recharts-line path.recharts-line-curve';
    // Drawn with the whole hour: one path per series, the first spanning the plot's width (the
    // charts draw at most one point per pixel, so the hour is recognised by its extent).
    await page.waitForFunction(
      (sel) => {
        const path = document.querySelector(sel);
        const grid = path?.closest('svg')?.querySelector('.recharts-cartesian-grid');
        if (!(path instanceof SVGGraphicsElement) || !(grid instanceof SVGGraphicsElement)) return false;
        return path.getBBox().width >= 0.97 * grid.getBBox().width && document.querySelectorAll('.chart .recharts-line').length >= 12;
      },
      line,
      { timeout: 120_000 },
    );
    const series = await page.locator('.chart .recharts-line').count();
    const drawn = ((await page.locator(line).first().getAttribute('d')) ?? '').split(/[ML]/).length - 1;
    // BENCH_METRICS_UI_PROFILE=<file.cpuprofile>: a CPU profile of the page over the measured
    // seconds, for Chromium DevTools (build the renderer unminified to read the function names).
    const profileTo = process.env.BENCH_METRICS_UI_PROFILE;
    const cdp = profileTo ? await page.context().newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    if (!cdp) await browser.startTracing(page, { categories: ['toplevel', '__metadata'] });
    const m: Measured = await page.evaluate(measure(line, MEASURE_MS));
    const traceBuf = cdp ? undefined : await browser.stopTracing();
    const tasks = traceBuf ? mainThreadTasks(traceBuf) : [];
    if (cdp && profileTo) fs.writeFileSync(profileTo, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    stop.abort();
    await producing;
    const longest = m.longTasks.length ? Math.max(...m.longTasks) : null;
    const secs = m.ms / 1000;
    console.log(`metrics UI: Overview, 1 h window, ${series} series × ${POINTS} points, updated at 1 Hz, ${secs.toFixed(0)} s in Chromium`);
    console.log(`  "Messages in" drawn with ${drawn} points per line (the chart's pixel width bounds it)`);
    console.log(
      `  longest main-thread task ${longest === null ? 'none over 50 ms' : `${longest.toFixed(0)} ms`}, ${m.longTasks.length} task(s) over 50 ms (aim: none)`,
    );
    if (tasks.length) {
      const byCpu = [...tasks].sort((a, b) => b.cpu - a.cpu);
      console.log(
        `  trace: ${tasks.length} main-thread tasks; longest by wall ${tasks[0].wall.toFixed(0)} ms (CPU ${tasks[0].cpu.toFixed(0)} ms), longest by CPU ${byCpu[0].cpu.toFixed(0)} ms; ${tasks.filter((t) => t.cpu > 50).length} with over 50 ms of CPU, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`,
      );
    }
    console.log(`  ${(m.frames / secs).toFixed(1)} frames/s, longest frame gap ${m.maxFrameGap.toFixed(0)} ms; "Messages in" redrawn ${m.redraws} times (${(m.redraws / secs).toFixed(2)}/s)`);
  } finally {
    stop.abort();
    await browser?.close();
    await server.close();
    await registry.close();
    await cluster.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
