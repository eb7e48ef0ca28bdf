// Finds, inside the first batch whose maxTimestamp >= ts, the exact record ListOffsets wants.
// Shared by the file log and its in-memory twin.
// Deviation from Kafka: only uncompressed and gzip batches are decoded (the codecs
// record-batch.ts can decompress); for snappy/lz4/zstd the batch's first offset and its
// maxTimestamp are returned, so a lookup may land a few records early inside that batch.

import { ATTR, batchInfo, decodeRecords } from '../protocol/record-batch.ts';

export function recordAtTimestamp(
  batch: Buffer,
  ts: number,
  startOffset: number,
): { offset: number; timestamp: number } {
  const info = batchInfo(batch, 0);
  const first = Math.max(info.baseOffset, startOffset);
  // With LogAppendTime every record carries the batch's maxTimestamp (the append time).
  if (info.attributes & ATTR.logAppendTime) return { offset: first, timestamp: info.maxTimestamp };
  const codec = info.attributes & ATTR.compressionMask;
  if (codec === 0 || codec === 1) {
    for (const r of decodeRecords(batch, info)) {
      if (r.offset >= startOffset && r.timestamp >= ts) return { offset: r.offset, timestamp: r.timestamp };
    }
  }
  return { offset: first, timestamp: info.maxTimestamp };
}
