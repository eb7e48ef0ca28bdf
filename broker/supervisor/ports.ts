// Port selection for a local cluster: the requested block (9092.. by Kafka habit) if free,
// otherwise the next free block of the same size.

import net from 'node:net';

export function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/** `avoid`: [first, count] of a block the result must not overlap (ports not bound yet). */
export async function findFreeBlock(base: number, count: number, host: string, avoid?: [number, number]): Promise<number> {
  for (let start = base; start + count <= 65535; start += count) {
    if (avoid && start < avoid[0] + avoid[1] && start + count > avoid[0]) continue;
    let ok = true;
    for (let p = start; p < start + count && ok; p++) ok = await isPortFree(p, host);
    if (ok) return start;
  }
  throw new Error(`no free block of ${count} ports from ${base}`);
}
