// extism_call_us / extism_call_p99_us vs our_call_us / our_call_p99_us: one
// call into sandboxed guest code that calls a host function three times,
// p50 and p99 per call, the two interleaved in the same run.
//
// Extism (@extism/extism, pinned in package.json): a plugin written in WAT
// (a core module importing `job_attr` from "extism:host/user", calling it
// three times in its export `run`), with runInWorker: true and timeoutMs, as
// a multi-tenant host must (a guest that loops must not block the host's
// event loop and must be stoppable). Timed around plugin.call() from the
// main thread. plugin.reset() between batches (outside the timing): without
// it calls fail after ~16k. timeoutMs is the service's default hook deadline
// (5 s); a call that runs into it counts with the time its caller waited.
//
// Ours: test/fixtures/hooks/bench-three-reads.c (reads three job attributes
// through the host and writes one report line) registered in a service in
// this process; one JobStart sent straight to the service's dispatcher
// (svc.dispatcher.dispatch, what the session's gRPC handler calls, without
// the gRPC), timed from the service's main thread into the tenant's hook
// thread and back with the outcome. The JobEnd that closes each job is not
// timed.
import { readFileSync } from 'node:fs';
import { parse } from '@bytecodealliance/jco';
import createPlugin, { type Plugin } from '@extism/extism';
import { startHookService } from '../src/server/hook-service.js';
import { fixturePath } from '../test/fixtures/build-fixtures.js';
import { DAEMON, benchJob, endedJob } from './fixtures.js';
import { percentile } from './stats.js';
import { removeTempDir, tempDir } from './tmp.js';

export interface ExtismPlan {
  reps: number;
  /** Calls per repetition for each side (Extism stops early at maxMs). */
  calls: number;
  /** Extism calls between two plugin.reset(). */
  resetEvery: number;
  /** Cap on the Extism side's time per repetition (its stalls are long). */
  extismMaxMs: number;
  warmup: number;
  timeoutMs: number;
}

export const EXTISM_PLAN: ExtismPlan = { reps: 3, calls: 2000, resetEvery: 500, extismMaxMs: 8000, warmup: 300, timeoutMs: 5000 };

export interface ExtismRuns {
  version: string;
  extismP50Us: number[];
  extismP99Us: number[];
  extismCalls: number[];
  ourP50Us: number[];
  ourP99Us: number[];
  ourCalls: number[];
  errors: string[];
}

const PLUGIN_WAT = `(module
  (import "extism:host/user" "job_attr" (func $job_attr (param i64) (result i64)))
  (func (export "run") (result i32)
    (drop (i64.add (i64.add (call $job_attr (i64.const 0)) (call $job_attr (i64.const 1))) (call $job_attr (i64.const 2))))
    (i32.const 0)))`;

export function extismVersion(): string {
  return (JSON.parse(readFileSync(new URL('../node_modules/@extism/extism/package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export async function measureExtism(plan: ExtismPlan, progress: (s: string) => void): Promise<ExtismRuns> {
  const runs: ExtismRuns = { version: extismVersion(), extismP50Us: [], extismP99Us: [], extismCalls: [], ourP50Us: [], ourP99Us: [], ourCalls: [], errors: [] };
  const attrs = [1234n, 42n, 7n];
  const plugin: Plugin = await createPlugin({ wasm: [{ data: await parse(PLUGIN_WAT) }] }, {
    runInWorker: true,
    timeoutMs: plan.timeoutMs,
    useWasi: false,
    functions: { 'extism:host/user': { job_attr: (_cx: unknown, i: bigint) => attrs[Number(i)] } },
  });
  const dataDir = tempDir('extism');
  const svc = await startHookService({ listen: '127.0.0.1:0', dataDir, auth: { unauthenticatedTenant: 'bench' }, log: () => {} });
  try {
    await svc.catalog.register('bench', { name: 'bench-three-reads', component: readFileSync(fixturePath('bench-three-reads.c')), events: [] });
    let extismFailures = 0;
    let firstExtismError: string | undefined;
    const extismBatch = async (n: number, maxMs: number) => {
      const lat: number[] = [];
      const start = performance.now();
      for (let i = 0; i < n && performance.now() - start < maxMs; i++) {
        if (i && i % plan.resetEvery === 0) await plugin.reset();
        const t0 = performance.now();
        try {
          await plugin.call('run');
          lat.push((performance.now() - t0) * 1000);
        } catch (e) {
          // A call that ran into timeoutMs: its caller waited that long, so it counts.
          lat.push((performance.now() - t0) * 1000);
          extismFailures++;
          firstExtismError ??= (e as Error).message;
          await plugin.reset().catch(() => undefined);
        }
      }
      await plugin.reset();
      return lat;
    };
    let jobId = 600_000;
    const source = { tenant: 'bench', daemon: DAEMON, director: null };
    const ourBatch = async (n: number) => {
      const lat: number[] = [];
      for (let i = 0; i < n; i++) {
        const job = benchJob(++jobId);
        const t0 = performance.now();
        const o = await svc.dispatcher.dispatch(source, { id: `x${jobId}`, type: 'job-start', job });
        lat.push((performance.now() - t0) * 1000);
        if (o.hooks[0]?.status !== 'ok' || o.report.length !== 1) runs.errors.push(`bench-three-reads: ${o.hooks[0]?.status} ${o.hooks[0]?.message ?? ''}`);
        await svc.dispatcher.dispatch(source, { id: `x${jobId}e`, type: 'job-end', job: endedJob(job) });
      }
      return lat;
    };
    await extismBatch(plan.warmup, plan.extismMaxMs);
    await ourBatch(plan.warmup);
    for (let r = 1; r <= plan.reps; r++) {
      const ext = await extismBatch(plan.calls, plan.extismMaxMs);
      const ours = await ourBatch(plan.calls);
      runs.extismP50Us.push(percentile(ext, 50)); runs.extismP99Us.push(percentile(ext, 99)); runs.extismCalls.push(ext.length);
      runs.ourP50Us.push(percentile(ours, 50)); runs.ourP99Us.push(percentile(ours, 99)); runs.ourCalls.push(ours.length);
      const stalls = ext.filter((us) => us > 100_000).length;
      progress(`  rep ${r}/${plan.reps} extism ${ext.length} calls: p50 ${percentile(ext, 50).toFixed(0)} µs, p99 ${percentile(ext, 99).toFixed(0)} µs, max ${(Math.max(...ext) / 1000).toFixed(0)} ms, ${stalls} over 100 ms | ours ${ours.length} calls: p50 ${percentile(ours, 50).toFixed(0)} µs, p99 ${percentile(ours, 99).toFixed(0)} µs, max ${(Math.max(...ours) / 1000).toFixed(1)} ms`);
    }
    if (extismFailures) runs.errors.push(`extism: ${extismFailures} calls failed: ${firstExtismError}`);
  } finally {
    await plugin.close();
    await svc.close();
    removeTempDir(dataDir);
  }
  return runs;
}
