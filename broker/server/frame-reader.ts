// Splits a TCP byte stream into Kafka frames (int32 size + payload). A frame larger than
// socket.request.max.bytes or with a negative size is a protocol violation: the caller closes
// the connection, as Kafka does (InvalidReceiveException), without allocating the claimed size.

export class FrameError extends Error {
  override name = 'FrameError';
}

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private need = -1; // size of the frame being assembled, -1 while the size is unknown

  constructor(private readonly maxBytes: number) {}

  /** Feeds bytes; returns the complete frames (payload without the size prefix). */
  push(data: Buffer): Buffer[] {
    this.chunks.push(data);
    this.buffered += data.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.need < 0) {
        if (this.buffered < 4) break;
        const size = this.peekInt32();
        if (size < 0) throw new FrameError(`negative frame size ${size}`);
        if (size > this.maxBytes) throw new FrameError(`frame of ${size} bytes exceeds socket.request.max.bytes ${this.maxBytes}`);
        this.consume(4);
        this.need = size;
      }
      if (this.buffered < this.need) break;
      frames.push(this.consume(this.need));
      this.need = -1;
    }
    return frames;
  }

  /** Bytes of an incomplete frame still waiting (a truncated frame when the peer closes). */
  get pending(): number {
    return this.buffered;
  }

  private peekInt32(): number {
    const first = this.chunks[0];
    if (first.length >= 4) return first.readInt32BE(0);
    return Buffer.concat(this.chunks).readInt32BE(0);
  }

  private consume(n: number): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const c = this.chunks[0];
        const take = Math.min(c.length, n - filled);
        c.copy(out, filled, 0, take);
        filled += take;
        if (take === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(take);
      }
    }
    this.buffered -= n;
    return out;
  }
}
