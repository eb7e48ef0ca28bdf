// Growable writer that produces a list of chunks. Small fields go into a scratch buffer; large
// byte payloads (record batches read from disk) are appended by reference, so a Fetch response
// moves log bytes to the socket without copying them (socket.writev / cork).

const INLINE_MAX = 512;

/**
 * A big-endian int64 from a number: a safe integer (offsets, timestamps, ids: every value on the
 * hot path) as two 32-bit halves, anything else through BigInt as before (same bytes, same
 * errors), so the common case allocates no BigInt.
 */
export function writeInt64(buf: Buffer, at: number, v: number): void {
  if (!Number.isSafeInteger(v)) {
    buf.writeBigInt64BE(BigInt(v), at);
    return;
  }
  const hi = Math.floor(v / 4294967296);
  buf.writeInt32BE(hi, at);
  buf.writeUInt32BE(v - hi * 4294967296, at + 4);
}

export class Writer {
  private chunks: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;
  private start = 0;
  private done = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.done + (this.pos - this.start);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flushScratch();
    this.buf = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2, 256));
    this.pos = 0;
    this.start = 0;
  }

  private flushScratch(): void {
    if (this.pos > this.start) {
      this.chunks.push(this.buf.subarray(this.start, this.pos));
      this.done += this.pos - this.start;
      this.start = this.pos;
    }
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos++);
    return this;
  }
  uint8(v: number): this {
    this.ensure(1);
    this.buf[this.pos++] = v;
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }
  uint16(v: number): this {
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }
  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }
  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }
  int64(v: number): this {
    this.ensure(8);
    writeInt64(this.buf, this.pos, v);
    this.pos += 8;
    return this;
  }
  float64(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
    return this;
  }
  uvarint(v: number): this {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
    return this;
  }
  varint(v: number): this {
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  varlong(v: number): this {
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  uuid(hex: string): this {
    this.ensure(16);
    const n = this.buf.write(hex.padStart(32, '0').slice(0, 32), this.pos, 16, 'hex');
    if (n !== 16) this.buf.fill(0, this.pos + n, this.pos + 16);
    this.pos += 16;
    return this;
  }
  utf8(s: string, byteLength: number): this {
    this.ensure(byteLength);
    this.buf.write(s, this.pos, byteLength, 'utf8');
    this.pos += byteLength;
    return this;
  }
  bytes(b: Uint8Array): this {
    if (b.length <= INLINE_MAX) {
      this.ensure(b.length);
      this.buf.set(b, this.pos);
      this.pos += b.length;
    } else {
      this.flushScratch();
      this.chunks.push(Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.length));
      this.done += b.length;
    }
    return this;
  }
  /** Length prefix: classic int16/int32, or compact uvarint(n+1). null => -1. */
  lengthPrefix(n: number | null, compact: boolean, wide: boolean): this {
    const v = n === null ? -1 : n;
    if (compact) return this.uvarint(v + 1);
    return wide ? this.int32(v) : this.int16(v);
  }
  /** Reserve 4 bytes for an int32 written later (e.g. a size prefix); returns a setter. */
  reserveInt32(): (v: number) => void {
    this.ensure(4);
    const buf = this.buf;
    const at = this.pos;
    this.pos += 4;
    return (v: number) => buf.writeInt32BE(v, at);
  }

  toChunks(): Buffer[] {
    this.flushScratch();
    return this.chunks;
  }
  toBuffer(): Buffer {
    const c = this.toChunks();
    return c.length === 1 ? c[0] : Buffer.concat(c);
  }
}
