// director_call_rtt_ms: a hook's does-volume-exist answered by the director
// over its session, per call, measured inside the service: the C hook
// test/fixtures/hooks/director-call-loop.c makes Priority calls in a row at
// JobStart; JobStarts with Priority HI and LO alternate, and
// (median durationMs at HI − median at LO) / (HI − LO) is one call: hook →
// its thread's host import → the service's main thread → the session's gRPC
// stream → the director process's handler → back the same way. The hook's
// durationMs is timed in the service around the invocation.
//
// grpc_bidi_ping_ms, its baseline in the same run and the same process
// layout (the director's side in a separate process, the server in this
// one): one event-sized message written on a bare grpc-js bidi stream and
// echoed back, one at a time; the mean round trip of each repetition (the
// director figure is a mean over HI−LO calls, too).
import { readFileSync } from 'node:fs';
import { startHookService } from '../src/server/hook-service.js';
import { fixturePath } from '../test/fixtures/build-fixtures.js';
import { startEchoServer } from './echo-service.js';
import { runChild } from './child.js';
import { median } from './stats.js';
import { removeTempDir, tempDir } from './tmp.js';

export interface DirectorRttPlan { reps: number; pairs: number; hi: number; lo: number; pings: number }
export const DIRECTOR_RTT_PLAN: DirectorRttPlan = { reps: 5, pairs: 15, hi: 51, lo: 1, pings: 500 };

export interface DirectorRttRuns {
  /** Per repetition, ms per director call. */
  callRttMs: number[];
  /** Per repetition, mean and median ping round trip, ms. */
  pingMs: number[];
  pingP50Ms: number[];
}

export async function measureDirectorRtt(plan: DirectorRttPlan, progress: (s: string) => void): Promise<DirectorRttRuns> {
  const echo = await startEchoServer();
  const dataDir = tempDir('director-rtt');
  const svc = await startHookService({ listen: '127.0.0.1:0', dataDir, auth: { unauthenticatedTenant: 'bench' }, log: () => {} });
  try {
    await svc.catalog.register('bench', { name: 'director-call-loop', component: readFileSync(fixturePath('director-call-loop.c')), events: ['job-start'] });
    const r = await runChild<{ hi: number[][]; lo: number[][]; pingMs: number[][] }>('./director-rtt-client.ts',
      [svc.address, echo.address, ...[plan.reps, plan.pairs, plan.hi, plan.lo, plan.pings].map(String)], 120_000);
    const runs: DirectorRttRuns = { callRttMs: [], pingMs: [], pingP50Ms: [] };
    for (let i = 0; i < plan.reps; i++) {
      runs.callRttMs.push((median(r.hi[i]) - median(r.lo[i])) / (plan.hi - plan.lo));
      runs.pingMs.push(r.pingMs[i].reduce((a, b) => a + b, 0) / r.pingMs[i].length);
      runs.pingP50Ms.push(median(r.pingMs[i]));
      progress(`  rep ${i + 1}/${plan.reps} director call ${runs.callRttMs[i].toFixed(3)} ms (JobStart ${median(r.hi[i]).toFixed(2)} ms at ${plan.hi} calls, ${median(r.lo[i]).toFixed(2)} ms at ${plan.lo}) | bidi ping mean ${runs.pingMs[i].toFixed(3)} ms, p50 ${runs.pingP50Ms[i].toFixed(3)} ms`);
    }
    return runs;
  } finally {
    await svc.close();
    await echo.close();
    removeTempDir(dataDir);
  }
}
