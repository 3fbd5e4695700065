// host_call_ns: one job-attribute read from inside a hook, amortised over a
// guest loop. test/fixtures/hooks/host-call-loop.c calls job.job-id
// Priority×1000 times at JobStart; JobStarts with Priority HI and LO
// alternate (run through the service's dispatcher on its main thread, no
// gRPC), and (median durationMs at HI − median at LO) / ((HI−LO)×1000) is one
// call. The hook's durationMs is timed around the invocation in the service.
//
// plain_wasm_call_ns, its baseline in the same run: the same loop in a plain
// core wasm module (WAT, parsed with jco's parse) calling a plain JS import,
// instantiated with WebAssembly.instantiate, timed around the export call.
import { readFileSync } from 'node:fs';
import { parse } from '@bytecodealliance/jco';
import { startHookService } from '../src/server/hook-service.js';
import { fixturePath } from '../test/fixtures/build-fixtures.js';
import { DAEMON, benchJob } from './fixtures.js';
import { median } from './stats.js';
import { removeTempDir, tempDir } from './tmp.js';

export interface HostCallPlan {
  reps: number;
  /** JobStart pairs (HI, LO) per repetition. */
  pairs: number;
  hi: number;
  lo: number;
}

export const HOST_CALL_PLAN: HostCallPlan = { reps: 5, pairs: 15, hi: 100, lo: 1 };

export interface HostCallRuns {
  /** Per repetition, ns per call. */
  hostCallNs: number[];
  plainWasmCallNs: number[];
  errors: string[];
}

const LOOP_WAT = `(module
  (import "env" "job_id" (func $job_id (result i32)))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $sum i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (call $job_id))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum)))`;

export async function measureHostCall(plan: HostCallPlan, progress: (s: string) => void): Promise<HostCallRuns> {
  const runs: HostCallRuns = { hostCallNs: [], plainWasmCallNs: [], errors: [] };

  // The plain core module: a JS function as the import, like any host function.
  let jobId = 4242;
  const { instance } = await WebAssembly.instantiate(await parse(LOOP_WAT), { env: { job_id: () => jobId } });
  const run = instance.exports.run as (n: number) => bigint;

  const dataDir = tempDir('host-call');
  const svc = await startHookService({ listen: '127.0.0.1:0', dataDir, auth: { unauthenticatedTenant: 'bench' }, log: () => {} });
  try {
    await svc.catalog.register('bench', { name: 'host-call-loop', component: readFileSync(fixturePath('host-call-loop.c')), events: ['job-start'] });
    let n = 0;
    const jobStart = async (priority: number) => {
      const job = { ...benchJob(500_000 + ++n), priority };
      const o = await svc.dispatcher.dispatch({ tenant: 'bench', daemon: DAEMON, director: null }, { id: `hc${n}`, type: 'job-start', job });
      await svc.dispatcher.dispatch({ tenant: 'bench', daemon: DAEMON, director: null }, { id: `hc${n}e`, type: 'job-end', job });
      const h = o.hooks[0];
      if (h?.status !== 'ok' || !h.report[0]?.includes(`${priority * 1000} calls`)) runs.errors.push(`host-call-loop: ${h?.status} ${h?.message} ${h?.report.join(' ')}`);
      return h?.durationMs ?? NaN;
    };
    const plain = (calls: number) => {
      const t0 = performance.now();
      run(calls);
      return performance.now() - t0;
    };
    for (let i = 0; i < 5; i++) { await jobStart(plan.hi); await jobStart(plan.lo); plain(plan.hi * 1000); plain(plan.lo * 1000); } // warm both
    const calls = (plan.hi - plan.lo) * 1000;
    for (let r = 1; r <= plan.reps; r++) {
      const hi: number[] = [], lo: number[] = [], phi: number[] = [], plo: number[] = [];
      for (let i = 0; i < plan.pairs; i++) {
        hi.push(await jobStart(plan.hi));
        lo.push(await jobStart(plan.lo));
        jobId++;
        phi.push(plain(plan.hi * 1000));
        plo.push(plain(plan.lo * 1000));
      }
      runs.hostCallNs.push(((median(hi) - median(lo)) / calls) * 1e6);
      runs.plainWasmCallNs.push(((median(phi) - median(plo)) / calls) * 1e6);
      progress(`  rep ${r}/${plan.reps} hook JobStart ${median(hi).toFixed(2)} ms at ${plan.hi}k calls, ${median(lo).toFixed(2)} ms at ${plan.lo}k: ${runs.hostCallNs.at(-1)!.toFixed(1)} ns/call | plain wasm ${runs.plainWasmCallNs.at(-1)!.toFixed(1)} ns/call`);
    }
  } finally {
    await svc.close();
    removeTempDir(dataDir);
  }
  return runs;
}
