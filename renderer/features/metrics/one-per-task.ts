// Redraws spread over tasks: one 1 Hz sample changes every chart of a screen, and recharts
// redraws a chart in several store dispatches, each re-running every selector of that chart
// (about 15-25 ms a chart on this machine with an hour of points). Done in one React render, the
// Overview's eight charts are one task of 130-170 ms, long enough to drop frames and delay
// clicks. Queued here, each chart's redraw is a task of its own, run in the order asked, with a
// turn of the event loop between two, so input and frames get in between. A job asked again
// before its turn keeps its place and only its newest version runs: a chart that falls behind
// draws the present, not every missed second.

const queue = new Map<object, () => void>();
let scheduled = false;

function runOne(): void {
  scheduled = false;
  const next = queue.entries().next();
  if (next.done) return;
  const [key, job] = next.value;
  queue.delete(key);
  // The next one is scheduled first, so a job that throws does not stall the others.
  if (queue.size > 0) schedule();
  job();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(runOne, 0);
}

/** Runs `job` in a task of its own, after the jobs queued before it; replaces `key`'s queued job. */
export function inOwnTask(key: object, job: () => void): void {
  queue.set(key, job);
  schedule();
}

/** Forgets `key`'s queued job (its chart went away). */
export function cancelOwnTask(key: object): void {
  queue.delete(key);
}
