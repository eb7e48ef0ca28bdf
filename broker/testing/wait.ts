// Polling helpers for tests that wait on a cluster to converge (leaders, ISR, controllers).

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls fn every 50 ms until it returns a truthy value; throws naming `what` after timeoutMs. */
export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
