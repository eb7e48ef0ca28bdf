// Reading an internal topic's partition log back into its coordinator (group offsets, transaction
// state): every record from the log start to the log end, oldest first, with what its batch says
// about transactions (producer id, transactional flag) and the markers of control batches.

import type { PartitionLog } from '../log/types.ts';
import { readMarker } from '../protocol/control-record.ts';
import { ATTR, decodeRecords, scanValidPrefix } from '../protocol/record-batch.ts';

export interface LoggedRecord {
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  /** The batch's producer id (-1 without one) and whether it belongs to a transaction. */
  producerId: number;
  transactional: boolean;
  /** Set for the record of a control batch: the transaction marker it holds. */
  marker: { commit: boolean } | null;
}

/** Every record of the log, oldest first; reads 1 MiB at a time. */
export function* logRecords(log: PartitionLog): Generator<LoggedRecord> {
  let offset = log.logStartOffset;
  const pending: LoggedRecord[] = [];
  while (offset < log.logEndOffset) {
    const { chunks } = log.read(offset, 1 << 20);
    if (chunks.length === 0) return;
    const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    const before = offset;
    scanValidPrefix(
      buf,
      (info) => {
        const next = info.baseOffset + info.lastOffsetDelta + 1;
        if (next <= offset) return;
        offset = next;
        const transactional = (info.attributes & ATTR.transactional) !== 0;
        if (info.attributes & ATTR.control) {
          const m = readMarker(buf, info);
          if (m)
            pending.push({ offset: info.baseOffset, key: null, value: null, producerId: info.producerId, transactional, marker: { commit: m.commit } });
          return;
        }
        for (const r of decodeRecords(buf, info)) {
          if (r.offset >= before) pending.push({ offset: r.offset, key: r.key, value: r.value, producerId: info.producerId, transactional, marker: null });
        }
      },
      false,
    );
    yield* pending.splice(0);
    if (offset === before) return; // nothing readable: stop rather than spin
  }
}
