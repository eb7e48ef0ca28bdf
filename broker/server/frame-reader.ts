// Splits a TCP byte stream into Kafka frames (int32 size + payload). A frame larger than
// socket.request.max.bytes or with a negative size is a protocol violation: the caller closes
// the connection, as Kafka does (InvalidReceiveException), without allocating the claimed size.
// Memory: before a frame's payload is read, its declared size is reserved from the node's
// request budget (queued.max.request.bytes, request-budget.ts), as Kafka's SocketServer takes a
// receive buffer from its MemoryPool; when the budget refuses, the reader stops (`blocked`) and
// the connection stops reading its socket until `resume()`. The reservation is not an
// allocation: a frame that arrives in pieces is copied into a buffer that grows with what has
// arrived (eight times, at least 64 KiB), so a client that claims 100 MB and sends 1 MB costs at
// most 8 MB, and the socket's 64 KB chunks are dropped at once instead of being held (thousands
// of small heap blocks the allocator cannot give back to the OS, where one large block is
// unmapped when it is freed).
// A client of a broker it chose (broker/client/connection.ts: the bench, the CLI and followers
// fetching up to 10 MiB per response) reads with growth 'whole': the frame's buffer is taken at
// its declared size once that is known, as Kafka's clients do (NetworkReceive allocates the
// receive size), so a large answer is copied once instead of through 512 KiB and 4 MiB steps.

export class FrameError extends Error {
  override name = 'FrameError';
}

const FIRST_GROWTH = 64 * 1024;
// Each new buffer holds GROWTH times what arrived: few copies, and the old buffer beside the new
// one (the peak while growing) is at most 1/GROWTH of the frame.
const GROWTH = 8;

export class FrameReader {
  private input: Buffer[] = [];
  private inputBytes = 0;
  private need = -1; // size of the frame being assembled, -1 while the size is unknown
  private body: Buffer | null = null; // the frame so far, when it arrived in pieces
  private filled = 0;
  private reserved = 0; // budget held for the frame being assembled
  private isBlocked = false;

  /**
   * `reserve(n)`: takes n bytes from the request budget, or returns false (try again later).
   * `growth`: 'gradual' (a peer that may lie about sizes) or 'whole' (a trusted peer, above).
   */
  constructor(
    private readonly maxBytes: number,
    private readonly reserve: (bytes: number) => boolean = () => true,
    private readonly growth: 'gradual' | 'whole' = 'gradual',
  ) {}

  /**
   * Feeds bytes; returns the complete frames (payload without the size prefix). Each frame
   * holds a reservation of its length, which the caller gives back once done with it.
   */
  push(data: Buffer): Buffer[] {
    if (data.length) {
      this.input.push(data);
      this.inputBytes += data.length;
    }
    return this.read();
  }

  /** After the budget freed: tries the reservation again and reads what is buffered. */
  resume(): Buffer[] {
    return this.read();
  }

  /** Waiting for the budget to reserve the next frame's size. */
  get blocked(): boolean {
    return this.isBlocked;
  }

  /** Bytes of an incomplete frame still waiting (a truncated frame when the peer closes). */
  get pending(): number {
    return this.inputBytes + this.filled;
  }

  /** Inside a frame: some of its bytes (size included) arrived, not all. */
  get midFrame(): boolean {
    return this.need >= 0 || this.inputBytes > 0;
  }

  /** Drops what is buffered and returns the reservation still held (the connection closed). */
  dispose(): number {
    const r = this.reserved;
    this.reserved = 0;
    this.input = [];
    this.inputBytes = 0;
    this.body = null;
    this.filled = 0;
    this.need = -1;
    return r;
  }

  private read(): Buffer[] {
    const frames: Buffer[] = [];
    for (;;) {
      if (this.need < 0) {
        if (this.inputBytes < 4) break;
        const size = this.peekInt32();
        if (size < 0) throw new FrameError(`negative frame size ${size}`);
        if (size > this.maxBytes) throw new FrameError(`frame of ${size} bytes exceeds socket.request.max.bytes ${this.maxBytes}`);
        if (!this.reserve(size)) {
          this.isBlocked = true;
          break;
        }
        this.isBlocked = false;
        this.reserved = size;
        this.take(4);
        this.need = size;
      }
      if (this.body === null && this.inputBytes >= this.need) {
        frames.push(this.complete(this.take(this.need)));
        continue;
      }
      this.gather();
      if (this.filled < this.need) break;
      frames.push(this.complete(this.body!));
    }
    return frames;
  }

  private complete(frame: Buffer): Buffer {
    this.need = -1;
    this.body = null;
    this.filled = 0;
    this.reserved = 0;
    return frame;
  }

  /** Moves buffered input into the frame's own buffer, growing it as needed. */
  private gather(): void {
    const want = Math.min(this.need, this.filled + this.inputBytes);
    if (!this.body || this.body.length < want) {
      const size = this.growth === 'whole' ? this.need : Math.min(this.need, Math.max(FIRST_GROWTH, GROWTH * want));
      const grown = Buffer.allocUnsafe(size);
      this.body?.copy(grown, 0, 0, this.filled);
      this.body = grown;
    }
    while (this.filled < this.need && this.inputBytes > 0) {
      const c = this.input[0];
      const n = Math.min(c.length, this.need - this.filled);
      c.copy(this.body, this.filled, 0, n);
      this.filled += n;
      this.dropInput(n);
    }
  }

  private peekInt32(): number {
    const first = this.input[0];
    if (first.length >= 4) return first.readInt32BE(0);
    return Buffer.concat(this.input).readInt32BE(0);
  }

  private dropInput(n: number): void {
    const first = this.input[0];
    if (first.length === n) this.input.shift();
    else this.input[0] = first.subarray(n);
    this.inputBytes -= n;
  }

  /** The next n buffered bytes: a view when one chunk holds them, else one copy. */
  private take(n: number): Buffer {
    const first = this.input[0];
    if (n === 0) return Buffer.alloc(0);
    if (first.length >= n) {
      const out = first.subarray(0, n);
      this.dropInput(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.input[0];
      const k = Math.min(c.length, n - filled);
      c.copy(out, filled, 0, k);
      filled += k;
      this.dropInput(k);
    }
    return out;
  }
}
