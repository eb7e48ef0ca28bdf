// Producer id allocation for idempotent producers. Ids are reserved in blocks whose end is
// persisted in the data dir (written to .tmp, fsynced, renamed) before any id of the block is
// handed out, so a restarted node, even after kill -9, never reuses an id. Each node takes
// ids of the form seq * 1024 + (nodeId mod 1024), so nodes never hand out the same id without
// asking each other (Kafka's controller hands out blocks instead: AllocateProducerIds).

import fs from 'node:fs';
import path from 'node:path';

const BLOCK = 1000;
const NODE_SLOTS = 1024;

export class ProducerIdManager {
  private next: number;
  private reservedEnd: number;
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly nodeId: number,
  ) {
    this.file = path.join(dataDir, 'producer-id-block');
    let start = 1;
    try {
      const n = Number(fs.readFileSync(this.file, 'utf8').trim());
      if (Number.isSafeInteger(n) && n > 0) start = n;
    } catch {
      /* first start */
    }
    this.next = start;
    this.reservedEnd = start;
  }

  allocate(): number {
    if (this.next >= this.reservedEnd) {
      this.reservedEnd = this.next + BLOCK;
      this.persist(this.reservedEnd);
    }
    const seq = this.next++;
    return seq * NODE_SLOTS + (((this.nodeId % NODE_SLOTS) + NODE_SLOTS) % NODE_SLOTS);
  }

  private persist(end: number): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = this.file + '.tmp';
    const fd = fs.openSync(tmp, 'w');
    fs.writeSync(fd, `${end}\n`);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, this.file);
  }
}
