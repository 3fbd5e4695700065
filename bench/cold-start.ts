// cold_start_{c,rust,js}_ms: on a running service, Register of a component
// the service has never seen → the first JobStart answered (both over gRPC
// from this process, the admin channel and the director session already
// connected). Each repetition appends a custom section with a random nonce
// to the component's bytes, so its sha256 is new and neither the transpile
// cache nor anything else keyed by it helps: the full check, transpile,
// instantiation in the tenant's thread and first event. The hook is removed
// after each repetition (only one runs per JobStart).
//
// warm_restart_js_ms: a service with the JS hook registered is closed and
// started again on the same data dir (the transpile cache on disk):
// startHookService → the first JobStart answered, the session opened in
// between.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startHookService } from '../src/server/hook-service.js';
import { AdminClient } from '../src/client/admin-client.js';
import { DirectorSessionClient } from '../src/client/director-client.js';
import { ensureBuilt, example, type ExampleHook } from '../src/cli/example-hooks.js';
import { DAEMON, benchJob, endedJob } from './fixtures.js';
import { removeTempDir, tempDir } from './tmp.js';
import { customSection } from '../test/helpers/wasm-bytes.js';

export interface ColdStartPlan { reps: number; restartReps: number }
export const COLD_START_PLAN: ColdStartPlan = { reps: 3, restartReps: 3 };

export const COLD_START_HOOKS = { c: 'c-dir-startup', rust: 'rust-dir-startup', js: 'dir-startup' } as const;
export type ColdLang = keyof typeof COLD_START_HOOKS;

export interface ColdStartRuns {
  /** Per repetition, ms. */
  c: number[];
  rust: number[];
  js: number[];
  warmRestartJs: number[];
  /** The breakdown: per repetition, the Register call's part of each cold start, ms. */
  registerPart: Record<ColdLang, number[]>;
  /** The breakdown of each restart: startHookService returned; the session open; the rest is the first JobStart. */
  restartListeningMs: number[];
  restartSessionMs: number[];
  errors: string[];
}

/** The component with a custom section "bench-nonce" of 16 random bytes appended: same code, new sha256. */
export function withNonce(bytes: Uint8Array): Buffer {
  return Buffer.concat([bytes, customSection('bench-nonce', randomBytes(16))]);
}

let jobIds = 900_000;

async function firstJobStart(session: DirectorSessionClient, errors: string[], what: string) {
  const job = benchJob(++jobIds);
  const o = await session.send({ type: 'job-start', job });
  if (o.hooks.length !== 1 || o.hooks[0].status !== 'ok') errors.push(`${what}: ${o.hooks.length} hooks, ${o.hooks[0]?.status} ${o.hooks[0]?.message ?? ''}`);
  return job;
}

export async function measureColdStart(plan: ColdStartPlan, progress: (s: string) => void): Promise<ColdStartRuns> {
  const runs: ColdStartRuns = { c: [], rust: [], js: [], warmRestartJs: [], registerPart: { c: [], rust: [], js: [] }, restartListeningMs: [], restartSessionMs: [], errors: [] };
  const hooks = Object.fromEntries(Object.entries(COLD_START_HOOKS).map(([lang, name]) => {
    const e = example(name);
    ensureBuilt(e);
    return [lang, e];
  })) as Record<ColdLang, ExampleHook>;
  const bytes = Object.fromEntries(Object.entries(hooks).map(([lang, e]) => [lang, readFileSync(e.wasm)])) as Record<ColdLang, Buffer>;

  const dataDir = tempDir('cold-start');
  const opts = { listen: '127.0.0.1:0', dataDir, auth: { unauthenticatedTenant: 'bench' }, log: () => {} };
  let svc = await startHookService(opts);
  let admin = new AdminClient(svc.address);
  let session = await DirectorSessionClient.open(svc.address, { daemon: DAEMON });
  try {
    await admin.list(); // both channels connected
    // Warm the tenant's thread and the compile worker (jco loaded) first, not measured: a C and a Rust
    // hook (a JS one would add ~6 s to the bench and warm nothing the C one does not).
    for (const lang of ['c', 'rust'] as ColdLang[]) {
      const h = await admin.register({ name: `warm-${lang}`, component: withNonce(bytes[lang]) });
      const job = await firstJobStart(session, runs.errors, `warm-up ${lang}`);
      await session.send({ type: 'job-end', job: endedJob(job) });
      await admin.remove(h.id);
    }
    for (let i = 1; i <= plan.reps; i++) {
      const line: string[] = [];
      for (const lang of ['c', 'rust', 'js'] as ColdLang[]) {
        const component = withNonce(bytes[lang]);
        const t0 = performance.now();
        const h = await admin.register({ name: `cold-${lang}-${i}`, component });
        const registered = performance.now() - t0;
        const job = await firstJobStart(session, runs.errors, `cold ${lang}`);
        const ms = performance.now() - t0;
        runs[lang].push(ms);
        runs.registerPart[lang].push(registered);
        line.push(`${lang} ${ms.toFixed(ms < 100 ? 1 : 0)} ms (Register ${registered.toFixed(registered < 100 ? 1 : 0)})`);
        await session.send({ type: 'job-end', job: endedJob(job) });
        await admin.remove(h.id);
      }
      progress(`  rep ${i}/${plan.reps} register → first JobStart: ${line.join(', ')}`);
    }

    // The JS hook stays registered; restart the service on the same data dir.
    await admin.register({ name: 'restart-js', component: bytes.js });
    for (let i = 1; i <= plan.restartReps; i++) {
      await session.close();
      admin.close();
      await svc.close();
      const t0 = performance.now();
      svc = await startHookService(opts);
      const listening = performance.now() - t0;
      session = await DirectorSessionClient.open(svc.address, { daemon: DAEMON });
      const opened = performance.now() - t0;
      const job = await firstJobStart(session, runs.errors, 'warm restart js');
      const ms = performance.now() - t0;
      runs.warmRestartJs.push(ms);
      runs.restartListeningMs.push(listening);
      runs.restartSessionMs.push(opened - listening);
      admin = new AdminClient(svc.address);
      await session.send({ type: 'job-end', job: endedJob(job) });
      progress(`  rep ${i}/${plan.restartReps} restart with the transpile cache → first JobStart of the JS hook: ${ms.toFixed(0)} ms (listening at ${listening.toFixed(0)}, session open at ${opened.toFixed(0)})`);
    }
  } finally {
    await session.close().catch(() => undefined);
    admin.close();
    await svc.close();
    removeTempDir(dataDir);
  }
  return runs;
}
