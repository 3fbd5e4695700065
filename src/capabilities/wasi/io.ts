// wasi:io 0.2 (error, poll, streams) for one hook instance: fresh classes per
// instance, so nothing is shared between instances or tenants (unlike
// preview2-shim, whose streams and switches are module-global).
//
// Streams here are host-side and never block: an output stream hands its
// bytes to a sink at once, an input stream is always at its end. The only
// pollables that are not ready at once are a clock's (see clocks.ts).

/** A stream error as the canonical ABI lowers it: thrown by the host function. */
const CLOSED = { tag: 'closed' } as const;
/** What check-write allows at a time; the report's own limits drop what is over. */
const WRITE_BUDGET = 64n * 1024n;

export type Sink = (bytes: Uint8Array) => void;

export function ioInterfaces() {
  class IoError {
    constructor(private readonly text: string) {}
    toDebugString(): string {
      return this.text;
    }
  }

  /** Ready at a monotonic instant in nanoseconds (process.hrtime), or at once. */
  class Pollable {
    constructor(readonly readyAtNs = 0n) {}
    ready(): boolean {
      return process.hrtime.bigint() >= this.readyAtNs;
    }
    block(): void {
      sleepUntil(this.readyAtNs);
    }
  }

  /** wasi:io/poll.poll: blocks until at least one is ready, returns the indices of the ready ones. */
  function poll(list: Pollable[]): Uint32Array {
    if (!list.length) throw new Error('wasi:io/poll.poll called with an empty list');
    sleepUntil(list.reduce((min, p) => (p.readyAtNs < min ? p.readyAtNs : min), list[0].readyAtNs));
    return Uint32Array.from(list.flatMap((p, i) => (p.ready() ? [i] : [])));
  }

  class InputStream {
    read(_len: bigint): Uint8Array {
      throw CLOSED;
    }
    blockingRead(_len: bigint): Uint8Array {
      throw CLOSED;
    }
    skip(_len: bigint): bigint {
      throw CLOSED;
    }
    blockingSkip(_len: bigint): bigint {
      throw CLOSED;
    }
    subscribe(): Pollable {
      return new Pollable();
    }
  }

  class OutputStream {
    constructor(private readonly sink: Sink) {}
    checkWrite(): bigint {
      return WRITE_BUDGET;
    }
    write(bytes: Uint8Array): void {
      this.sink(bytes);
    }
    blockingWriteAndFlush(bytes: Uint8Array): void {
      this.sink(bytes);
    }
    flush(): void {}
    blockingFlush(): void {}
    subscribe(): Pollable {
      return new Pollable();
    }
    writeZeroes(len: bigint): void {
      this.sink(new Uint8Array(Number(len < WRITE_BUDGET ? len : WRITE_BUDGET)));
    }
    blockingWriteZeroesAndFlush(len: bigint): void {
      this.writeZeroes(len);
    }
    splice(_from: InputStream, _len: bigint): bigint {
      throw CLOSED;
    }
    blockingSplice(_from: InputStream, _len: bigint): bigint {
      throw CLOSED;
    }
  }

  return {
    Pollable,
    InputStream,
    OutputStream,
    imports: {
      'wasi:io/error': { Error: IoError },
      'wasi:io/poll': { Pollable, poll },
      'wasi:io/streams': { InputStream, OutputStream },
    },
  };
}

export type IoInterfaces = ReturnType<typeof ioInterfaces>;

const waitCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks this hook thread until a monotonic instant. A hook sleeping past its
 * event's deadline is stopped by the deadline like any other: the main thread
 * terminates the thread, which interrupts the wait.
 */
function sleepUntil(atNs: bigint): void {
  for (;;) {
    const leftMs = Number(atNs - process.hrtime.bigint()) / 1e6;
    if (leftMs <= 0) return;
    Atomics.wait(waitCell, 0, 0, leftMs);
  }
}
