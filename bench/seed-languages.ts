// Measurement 5: the seed's DirStartUp port in each language (TypeScript, C,
// Rust): component size, build time from source (the example's own build.sh),
// and per-event time once warm, all three in one service, side by side.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startHookService } from '../src/server/hook-service.js';
import { AdminClient } from '../src/client/admin-client.js';
import { DirectorSessionClient } from '../src/client/director-client.js';
import { example } from '../src/cli/example-hooks.js';
import { DAEMON, benchJob, endedJob } from './fixtures.js';
import { median } from './stats.js';
import { removeTempDir, tempDir } from './tmp.js';

export const SEED_PORTS = [
  { lang: 'ts', name: 'dir-startup' },
  { lang: 'c', name: 'c-dir-startup' },
  { lang: 'rust', name: 'rust-dir-startup' },
] as const;

export interface SeedRuns {
  lang: string;
  sizeBytes: number;
  buildMs: number[];
  /** JobStart round trip over the session, per repetition's median. */
  eventMs: number[];
  /** JobStart time inside the hook's worker (HookOutcome.durationMs), per repetition's median. */
  hookMs: number[];
}

export async function measureSeedPorts(reps: number, events: number, progress: (s: string) => void): Promise<SeedRuns[]> {
  const out: SeedRuns[] = SEED_PORTS.map(({ lang, name }) => ({ lang, sizeBytes: 0, buildMs: [], eventMs: [], hookMs: [] }));
  for (let i = 1; i <= reps; i++) {
    for (const [k, { name }] of SEED_PORTS.entries()) {
      const t0 = performance.now();
      execFileSync('sh', [example(name).build], { stdio: ['ignore', 'ignore', 'inherit'] });
      out[k].buildMs.push(performance.now() - t0);
      out[k].sizeBytes = readFileSync(example(name).wasm).length;
    }
    progress(`  rep ${i}/${reps} build ${out.map((r) => `${r.lang} ${r.buildMs.at(-1)!.toFixed(0)} ms`).join(', ')}`);
  }

  const dataDir = tempDir('seed');
  const svc = await startHookService({ listen: '127.0.0.1:0', dataDir, auth: { unauthenticatedTenant: 'bench' } });
  const admin = new AdminClient(svc.address);
  const session = await DirectorSessionClient.open(svc.address, { daemon: DAEMON, handlers: { doesVolumeExist: () => false } });
  try {
    const ids: string[] = [];
    for (const { name } of SEED_PORTS) ids.push((await admin.register({ name, component: readFileSync(example(name).wasm), events: ['job-start', 'job-end'] })).id);
    for (let i = 1; i <= reps; i++) {
      for (const [k, id] of ids.entries()) {
        // Only this language's hook is enabled while it is measured.
        for (const other of ids) await admin.setEnabled(other, other === id);
        const rt: number[] = [];
        const inHook: number[] = [];
        for (let n = 0; n < events + 50; n++) {
          const job = benchJob(1_000_000 * (k + 1) + i * 10_000 + n);
          const t0 = performance.now();
          const o = await session.send({ type: 'job-start', job });
          const ms = performance.now() - t0;
          if (n >= 50) { rt.push(ms); inHook.push(o.hooks[0].durationMs); }
          await session.send({ type: 'job-end', job: endedJob(job) });
        }
        out[k].eventMs.push(median(rt));
        out[k].hookMs.push(median(inHook));
      }
      progress(`  rep ${i}/${reps} JobStart p50 ${out.map((r) => `${r.lang} ${r.eventMs.at(-1)!.toFixed(2)} ms (in hook ${r.hookMs.at(-1)!.toFixed(3)})`).join(', ')}`);
    }
  } finally {
    await session.close();
    admin.close();
    await svc.close();
    removeTempDir(dataDir);
  }
  return out;
}
