// The WASI implementations served to a granted hook, called as jco's glue
// calls them: what reaches the report, what each grant serves, the bounds.
import { describe, expect, it } from 'vitest';
import { wasiImports } from '../../src/capabilities/wasi/wasi-imports.js';
import { wasiInterfacesFor } from '../../src/components/grants.js';
import type { Invocation, InvocationSlot } from '../../src/capabilities/invocation.js';
import { finishReport } from '../../src/capabilities/report-limit.js';
import { DEFAULT_LIMITS } from '../../src/config.js';

function invocation(limits = {}): Invocation {
  return {
    event: 'job-start', job: undefined, daemon: { name: 'd', version: 'v', configFile: '', workingDir: '' }, writes: {}, report: [],
    director: null, http: null, deadlineAt: performance.now() + 10_000,
    limits: { ...DEFAULT_LIMITS, ...limits }, usage: { reportBytes: 0, droppedLines: 0, directorCalls: 0 },
  };
}

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('stdio', () => {
  const slot: InvocationSlot = { current: undefined };
  const wasi = wasiImports(slot, ['stdio']);
  const cli = (name: string) => wasi.imports[`wasi:cli/${name}`] as Record<string, () => { blockingWriteAndFlush(b: Uint8Array): void; write(b: Uint8Array): void; checkWrite(): bigint }>;

  it('turns stdout and stderr bytes into report lines, whatever the write boundaries, and reports an open line at the end of the event', () => {
    const inv = invocation();
    slot.current = inv;
    const out = cli('stdout').getStdout();
    const err = cli('stderr').getStderr();
    const euro = utf8('€');
    out.write(utf8('one\ntw'));
    out.write(euro.subarray(0, 1)); // a UTF-8 character split across writes
    out.write(euro.subarray(1));
    out.blockingWriteAndFlush(utf8('o\r\nthree'));
    err.write(utf8('bad thing\n'));
    expect(inv.report).toEqual(['one', 'tw€o', '[stderr] bad thing']);
    wasi.finish(inv);
    expect(inv.report).toEqual(['one', 'tw€o', '[stderr] bad thing', 'three']);
    expect(out.checkWrite()).toBeGreaterThan(0n);
  });

  it('keeps the report limits: lines over the limit are dropped and counted, an endless line is cut at the byte limit', () => {
    const inv = invocation({ reportLines: 3, reportBytes: 100 });
    slot.current = inv;
    const out = cli('stdout').getStdout();
    out.write(utf8('a\nb\nc\nd\ne\n'));
    expect(finishReport(inv)).toEqual(['a', 'b', 'c', '[report truncated: 2 more line(s) dropped; the limit is 3 lines and 100 bytes per event]']);
    const long = invocation({ reportLines: 10, reportBytes: 100 });
    slot.current = long;
    for (let i = 0; i < 50; i++) out.write(utf8('x'.repeat(10)));
    expect(long.report).toEqual(['x'.repeat(99)]); // 99 characters and the newline: 100 bytes
    expect(long.usage.droppedLines).toBe(4); // the next 4 cuts of 99; 5 characters still open
  });

  it('stdin is empty (closed), nothing is a terminal, the filesystem has no directory', () => {
    const stdin = (wasi.imports['wasi:cli/stdin'] as { getStdin(): { read(n: bigint): Uint8Array } }).getStdin();
    expect(() => stdin.read(10n)).toThrow(expect.objectContaining({ tag: 'closed' }));
    expect((wasi.imports['wasi:cli/terminal-stdout'] as { getTerminalStdout(): unknown }).getTerminalStdout()).toBeUndefined();
    expect((wasi.imports['wasi:filesystem/preopens'] as { getDirectories(): unknown[] }).getDirectories()).toEqual([]);
  });

  it('reading the wall clock (imported for its types) needs the clocks grant', () => {
    const now = (wasi.imports['wasi:clocks/wall-clock'] as { now(): unknown }).now;
    expect(() => now()).toThrow('wasi:clocks/wall-clock.now needs the clocks grant');
  });
});

describe('what each grant serves', () => {
  it.each([
    [[], []],
    [['random'], ['wasi:random/insecure', 'wasi:random/insecure-seed', 'wasi:random/random']],
    [['clocks'], ['wasi:cli/stderr', 'wasi:clocks/monotonic-clock', 'wasi:clocks/wall-clock', 'wasi:io/error', 'wasi:io/poll', 'wasi:io/streams']],
  ] as const)('%j: exactly %j', (grants, names) => {
    const served = Object.keys(wasiImports({ current: undefined }, grants).imports).sort();
    expect(served).toEqual([...names]);
    expect(served).toEqual([...wasiInterfacesFor(grants)].sort());
  });

  it('instances never share an object: two import objects of the same grants are distinct all the way down', () => {
    const one = wasiImports({ current: undefined }, ['stdio', 'clocks', 'random']).imports;
    const two = wasiImports({ current: undefined }, ['stdio', 'clocks', 'random']).imports;
    for (const name of Object.keys(one)) {
      for (const [k, v] of Object.entries(one[name])) expect(v, `${name}.${k}`).not.toBe((two[name] as Record<string, unknown>)[k]);
    }
  });
});

describe('clocks', () => {
  const wasi = wasiImports({ current: undefined }, ['clocks']);
  const mono = wasi.imports['wasi:clocks/monotonic-clock'] as { now(): bigint; subscribeDuration(ns: bigint): { ready(): boolean; block(): void } };
  const poll = (wasi.imports['wasi:io/poll'] as { poll(l: unknown[]): Uint32Array }).poll;

  it('the wall clock is now', () => {
    const w = (wasi.imports['wasi:clocks/wall-clock'] as { now(): { seconds: bigint; nanoseconds: number } }).now();
    expect(Math.abs(Number(w.seconds) * 1000 + w.nanoseconds / 1e6 - Date.now())).toBeLessThan(50);
  });

  it('a pollable on the monotonic clock blocks the hook until its instant, and poll says which are ready', () => {
    const t0 = mono.now();
    const p = mono.subscribeDuration(20_000_000n);
    expect(p.ready()).toBe(false);
    p.block();
    expect(Number(mono.now() - t0) / 1e6).toBeGreaterThanOrEqual(20);
    const soon = mono.subscribeDuration(5_000_000n);
    const later = mono.subscribeDuration(5_000_000_000n);
    expect([...poll([later, soon])]).toEqual([1]);
  });
});

describe('random', () => {
  const slot: InvocationSlot = { current: invocation({ memoryMiB: 1 }) };
  const r = wasiImports(slot, ['random']).imports['wasi:random/random'] as { getRandomBytes(n: bigint): Uint8Array; getRandomU64(): bigint };

  it('gives bytes of the asked length, more than 64 KiB too, and distinct u64s', () => {
    const b = r.getRandomBytes(200_000n);
    expect(b.length).toBe(200_000);
    expect(new Set(b.subarray(150_000)).size).toBeGreaterThan(200); // filled past the first 64 KiB chunk
    expect(r.getRandomU64()).not.toBe(r.getRandomU64());
  });

  it("refuses a request beyond the hook's memory limit", () => {
    expect(() => r.getRandomBytes(2n ** 40n)).toThrow("wasi:random asked for 1099511627776 bytes, more than the hook's memory limit (1048576 bytes)");
  });
});
