// wasi:clocks 0.2 for one hook instance. With the clocks grant: the real wall
// clock and monotonic clock, and sleeping on the latter (bounded by the
// event's deadline like any other work). Without it, the interfaces are only
// there for their types (componentize-js's stdio imports wall-clock): reading
// a clock traps, saying which grant is missing, rather than lying about time.
import type { IoInterfaces } from './io.js';

const NO_GRANT = (what: string) => () => {
  throw new Error(`${what} needs the clocks grant`);
};

export function clockInterfaces(io: IoInterfaces, granted: boolean) {
  if (!granted) {
    return {
      'wasi:clocks/wall-clock': { now: NO_GRANT('wasi:clocks/wall-clock.now'), resolution: NO_GRANT('wasi:clocks/wall-clock.resolution') },
      'wasi:clocks/monotonic-clock': {
        now: NO_GRANT('wasi:clocks/monotonic-clock.now'), resolution: NO_GRANT('wasi:clocks/monotonic-clock.resolution'),
        subscribeInstant: NO_GRANT('wasi:clocks/monotonic-clock.subscribe-instant'), subscribeDuration: NO_GRANT('wasi:clocks/monotonic-clock.subscribe-duration'),
      },
    };
  }
  return {
    'wasi:clocks/wall-clock': {
      now() {
        const ns = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
        return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
      },
      resolution: () => ({ seconds: 0n, nanoseconds: 1000 }),
    },
    'wasi:clocks/monotonic-clock': {
      now: () => process.hrtime.bigint(),
      resolution: () => 1n,
      subscribeInstant: (at: bigint) => new io.Pollable(at),
      subscribeDuration: (ns: bigint) => new io.Pollable(process.hrtime.bigint() + ns),
    },
  };
}
