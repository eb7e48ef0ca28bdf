// Bounds-checked reader over one request/response buffer. Pure, no I/O.
// Every read checks the remaining length first, so a malformed frame raises ProtocolError
// (the connection answers or closes) instead of reading garbage or allocating huge arrays.
// int64 values are JavaScript numbers: exact up to 2^53, which covers offsets, timestamps and
// producer ids in practice (deviation: larger values lose precision).

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export class Reader {
  pos: number;
  readonly end: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new ProtocolError(`truncated: need ${n} bytes at ${this.pos}, have ${this.end - this.pos}`);
    }
  }

  int8(): number {
    this.need(1);
    return this.buf.readInt8(this.pos++);
  }
  uint8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }
  bool(): boolean {
    return this.int8() !== 0;
  }
  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  uint16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  int64(): number {
    this.need(8);
    const hi = this.buf.readInt32BE(this.pos);
    const lo = this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }
  float64(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }
  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      this.need(1);
      const b = this.buf[this.pos++];
      if (shift < 28) result |= (b & 0x7f) << shift;
      else result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new ProtocolError('varint too long');
    }
  }
  varint(): number {
    const u = this.uvarint();
    return u & 1 ? -((u + 1) / 2) : u / 2;
  }
  varlong(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; ; i++) {
      this.need(1);
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) break;
      mul *= 128;
      if (i >= 9) throw new ProtocolError('varlong too long');
    }
    return result % 2 === 1 ? -(result + 1) / 2 : result / 2;
  }
  uuid(): string {
    this.need(16);
    const s = this.buf.toString('hex', this.pos, this.pos + 16);
    this.pos += 16;
    return s;
  }
  /** A view (no copy) of the next n bytes. */
  slice(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  utf8(n: number): string {
    this.need(n);
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
  /** Length of a string/bytes/array: classic int16/int32 or compact uvarint-1. -1 means null. */
  length(compact: boolean, wide: boolean): number {
    const n = compact ? this.uvarint() - 1 : wide ? this.int32() : this.int16();
    if (n < -1) throw new ProtocolError(`negative length ${n}`);
    return n;
  }
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
}
