// The load generator, in its own process (node --import tsx bench/load-client.ts).
// Reads one JSON command per stdin line, runs it, and answers one JSON line on
// stdout. Exits when stdin closes. Logs go to stderr only.
import { createInterface } from 'node:readline';
import { credentials, type ClientDuplexStream } from '@grpc/grpc-js';
import { DirectorSessionClient } from '../src/client/director-client.js';
import type { EventOutcome } from '../src/model/outcome.js';
import { EchoClient } from './echo-service.js';
import { DAEMON, benchJob, encodedEventMessage, endedJob } from './fixtures.js';
import { percentile } from './stats.js';

export interface LoadCommand {
  id: number;
  kind: 'echo' | 'event';
  address: string;
  /** Calls measured (events count one call each; a job is two). */
  count: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** Calls made first on the same connection, not measured. */
  warmup: number;
  /** First job id (events): runs use disjoint ranges. */
  jobBase?: number;
}

export interface LoadResult {
  calls: number;
  wallMs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  firstError?: string;
}

type Recorder = (ms: number) => void;

/**
 * Closed loop: `concurrency` slots, each running units back to back until
 * `units` have been started. A unit records one latency per call it makes.
 */
async function drive(units: number, concurrency: number, unit: (i: number, record: Recorder) => Promise<void>, callsPerUnit: number) {
  const lat = new Float64Array(units * callsPerUnit);
  let n = 0;
  const record: Recorder = (ms) => { lat[n++] = ms; };
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, units) }, async () => {
    while (next < units) await unit(next++, record);
  }));
  const wallMs = performance.now() - t0;
  return { wallMs, lat: Array.from(lat.subarray(0, n)) };
}

function summarize(r: { wallMs: number; lat: number[] }, errors: number, firstError?: string): LoadResult {
  return {
    calls: r.lat.length, wallMs: r.wallMs, rps: (r.lat.length / r.wallMs) * 1000,
    p50Ms: percentile(r.lat, 50), p99Ms: percentile(r.lat, 99), maxMs: Math.max(...r.lat),
    errors, ...(firstError ? { firstError } : {}),
  };
}

async function echo(c: LoadCommand): Promise<LoadResult> {
  const client = new EchoClient(c.address, credentials.createInsecure());
  const stream = (client as unknown as { echo(): ClientDuplexStream<Buffer, Buffer> }).echo();
  const msg = encodedEventMessage();
  // The server answers in order on the one stream: the oldest waiter gets each reply.
  const waiters: (() => void)[] = [];
  let head = 0;
  stream.on('data', () => waiters[head++]());
  let failure: Error | undefined;
  stream.on('error', (e: Error) => { failure = e; });
  const call = () => new Promise<void>((resolve) => { waiters.push(resolve); stream.write(msg); });
  const run = (n: number) => drive(n, c.concurrency, async (_i, record) => {
    const t0 = performance.now();
    await call();
    record(performance.now() - t0);
  }, 1);
  if (c.warmup) await run(c.warmup);
  const r = await run(c.count);
  stream.end();
  await new Promise<void>((resolve) => { stream.on('end', resolve); stream.on('error', () => resolve()); stream.resume(); });
  client.close();
  return summarize(r, failure ? 1 : 0, failure?.message);
}

async function event(c: LoadCommand): Promise<LoadResult> {
  const session = await DirectorSessionClient.open(c.address, { daemon: DAEMON });
  let errors = 0;
  let firstError: string | undefined;
  const fail = (why: string) => { errors++; firstError ??= why; };
  const check = (o: EventOutcome, reportLines: number) => {
    const h = o.hooks[0];
    if (o.hooks.length !== 1) fail(`${o.type}: ${o.hooks.length} hooks ran, expected 1`);
    else if (h.status !== 'ok') fail(`${o.type}: hook ${h.status}: ${h.message}`);
    else if (o.report.length !== reportLines) fail(`${o.type}: ${o.report.length} report lines, expected ${reportLines}`);
  };
  let jobId = c.jobBase ?? 1;
  // One unit is a job: JobStart (the hook reports one line), then JobEnd (one more).
  const run = (calls: number) => drive(Math.ceil(calls / 2), c.concurrency, async (_i, record) => {
    const job = benchJob(jobId++);
    try {
      let t0 = performance.now();
      const start = await session.send({ type: 'job-start', job });
      record(performance.now() - t0);
      check(start, 1);
      t0 = performance.now();
      const end = await session.send({ type: 'job-end', job: endedJob(job) });
      record(performance.now() - t0);
      check(end, 1);
    } catch (e) {
      fail((e as Error).message);
    }
  }, 2);
  if (c.warmup) await run(c.warmup);
  errors = 0;
  firstError = undefined;
  const r = await run(c.count);
  await session.close();
  return summarize(r, errors, firstError);
}

const rl = createInterface({ input: process.stdin });
let queue = Promise.resolve();
rl.on('line', (line) => {
  queue = queue.then(async () => {
    const c = JSON.parse(line) as LoadCommand;
    try {
      const result = c.kind === 'echo' ? await echo(c) : await event(c);
      process.stdout.write(`${JSON.stringify({ id: c.id, ok: true, result })}\n`);
    } catch (e) {
      process.stdout.write(`${JSON.stringify({ id: c.id, ok: false, error: (e as Error).stack ?? String(e) })}\n`);
    }
  });
});
rl.on('close', () => { void queue.then(() => process.exit(0)); });
