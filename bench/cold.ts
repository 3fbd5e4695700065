// Measurement 4: the one-time costs of a hook. Transpile and instantiate run
// in child processes (fresh each repetition); Register and the first event go
// end to end over gRPC to a fresh service with a fresh data dir each time.
import { readFileSync } from 'node:fs';
import { startHookService } from '../src/server/hook-service.js';
import { AdminClient } from '../src/client/admin-client.js';
import { DirectorSessionClient } from '../src/client/director-client.js';
import type { ExampleHook } from '../src/cli/example-hooks.js';
import { runChild } from './child.js';
import { DAEMON, benchJob, endedJob } from './fixtures.js';
import { removeTempDir, tempDir } from './tmp.js';

export interface ColdRuns {
  transpileMs: number[];
  transpileWarmMs: number[];
  instantiateMs: number[];
  instantiateWarmMs: number[];
  registerMs: number[];
  firstEventMs: number[];
  errors: string[];
}

export async function measureCold(hook: ExampleHook, reps: number, progress: (s: string) => void): Promise<ColdRuns> {
  const runs: ColdRuns = { transpileMs: [], transpileWarmMs: [], instantiateMs: [], instantiateWarmMs: [], registerMs: [], firstEventMs: [], errors: [] };
  const bytes = readFileSync(hook.wasm);

  for (let i = 1; i <= reps; i++) {
    const cacheDir = tempDir('transpile');
    try {
      const t = await runChild<{ coldMs: number; warmMs: number; dir: string; entry: string }>('./transpile-child.ts', [hook.wasm, cacheDir]);
      runs.transpileMs.push(t.coldMs);
      runs.transpileWarmMs.push(t.warmMs);
      const inst = await runChild<{ coldMs: number; warmMs: number }>('./instantiate-child.ts', [t.dir, t.entry]);
      runs.instantiateMs.push(inst.coldMs);
      runs.instantiateWarmMs.push(inst.warmMs);
      progress(`  rep ${i}/${reps} transpile ${t.coldMs.toFixed(0)} ms (warm jco ${t.warmMs.toFixed(0)} ms), instantiate ${inst.coldMs.toFixed(0)} ms (again ${inst.warmMs.toFixed(1)} ms)`);
    } finally {
      removeTempDir(cacheDir);
    }
  }

  for (let i = 1; i <= reps; i++) {
    const dataDir = tempDir('register');
    const svc = await startHookService({ listen: '127.0.0.1:0', dataDir, auth: { unauthenticatedTenant: 'bench' } });
    const admin = new AdminClient(svc.address);
    let session: DirectorSessionClient | undefined;
    try {
      await admin.list(); // the channel is connected: Register's time is the call's own
      let t0 = performance.now();
      await admin.register({ name: hook.name, component: bytes });
      const registerMs = performance.now() - t0;

      session = await DirectorSessionClient.open(svc.address, { daemon: DAEMON });
      const job = benchJob(i);
      t0 = performance.now();
      const o = await session.send({ type: 'job-start', job });
      const firstEventMs = performance.now() - t0;
      if (o.hooks[0]?.status !== 'ok') runs.errors.push(`first JobStart: ${o.hooks[0]?.status ?? 'no hook ran'} ${o.hooks[0]?.message ?? ''}`);
      await session.send({ type: 'job-end', job: endedJob(job) });

      runs.registerMs.push(registerMs);
      runs.firstEventMs.push(firstEventMs);
      progress(`  rep ${i}/${reps} register ${registerMs.toFixed(0)} ms, first JobStart ${firstEventMs.toFixed(1)} ms`);
    } finally {
      await session?.close().catch(() => undefined);
      admin.close();
      await svc.close();
      removeTempDir(dataDir);
    }
  }
  return runs;
}
