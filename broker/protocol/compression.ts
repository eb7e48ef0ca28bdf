// Record-batch compression codecs by attribute id (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd).
// Only what Node ships is here: none and gzip (node:zlib). Snappy, lz4 and zstd batches pass
// through the broker untouched (produce and fetch never decompress); code that needs records
// (the log cleaner, the compacted-topic key check) asks `canDecode` and treats the others as
// opaque. Pure, no I/O.

import { nodeZlib } from '../lazy-builtins.ts';

export const CODEC = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

export function canDecode(codec: number): boolean {
  return codec === CODEC.none || codec === CODEC.gzip;
}

/** The decompressed records section; throws for a codec canDecode refuses. */
export function decompress(codec: number, data: Buffer): Buffer {
  if (codec === CODEC.none) return data;
  if (codec === CODEC.gzip) return nodeZlib().gunzipSync(data);
  throw new Error(`compression codec ${codec} is not supported here`);
}

/** Compresses a records section with the given codec; throws for a codec canDecode refuses. */
export function compress(codec: number, data: Buffer): Buffer {
  if (codec === CODEC.none) return data;
  if (codec === CODEC.gzip) return nodeZlib().gzipSync(data);
  throw new Error(`compression codec ${codec} is not supported here`);
}
