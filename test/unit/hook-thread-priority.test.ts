// Hook threads' CPU priority, through a real service: they run 10 nice values
// below the main thread; an invocation that keeps its thread busy past a tenth
// of its deadline has the thread pushed down to nice 19, and afterwards either
// raised back (with the privilege) or retired (without: simulated here by
// refusing, as the kernel would, to lower a nice value); one that only waits
// for the director is left alone. Linux only (per-thread nice values).
import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.js';
import { buildCHook, removeBuild, tenantThread } from '../helpers/hostile.js';
import { REPO_ROOT } from '../../src/cli/example-hooks.js';
import { DEMOTE_AT, HOOK_THREAD_NICENESS } from '../../src/sandbox/hook-thread.js';
import { niceOf } from '../../src/sandbox/thread-priority.js';
import type { DirectorSessionClient } from '../../src/client/director-client.js';
import type { EventOutcome } from '../../src/model/outcome.js';
import { sampleBackupJob } from '../../src/model/sample-job.js';

/** When set, os.setPriority refuses to lower a nice value (EACCES), as it does without CAP_SYS_NICE. */
const sim = vi.hoisted(() => ({ unprivileged: false, refused: 0 }));
vi.mock('node:os', async (importOriginal) => {
  const os = await importOriginal<typeof import('node:os')>();
  const { readFileSync: read } = await import('node:fs');
  const niceNow = (tid: number) => {
    const stat = read(`/proc/self/task/${tid || process.pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  };
  function setPriority(a: number, b?: number): void {
    const [tid, nice] = b === undefined ? [0, a] : [a, b];
    if (sim.unprivileged && nice < niceNow(tid)) {
      sim.refused++;
      throw Object.assign(new Error('A system error occurred: uv_os_setpriority returned EACCES (permission denied)'), { code: 'ERR_SYSTEM_ERROR' });
    }
    if (b === undefined) os.setPriority(a);
    else os.setPriority(a, b);
  }
  return { ...os, default: { ...os, setPriority }, setPriority };
});

const linux = process.platform === 'linux';
const DEADLINE_MS = 3000;
const BUSY_MS = 1000; // well past DEMOTE_AT (300 ms), well within the deadline

interface ThreadFields { tid?: number; demoted: boolean }
const DIRECTOR_HOLD_MS = 900;

describe.runIf(linux && HOOK_THREAD_NICENESS > 0 && DEMOTE_AT > 0)('hook thread priority', () => {
  let t: TestService;
  let session: DirectorSessionClient;
  let build: { wasm: string; dir: string };
  const logs: string[] = [];
  let jobId = 1;
  /** Million loop iterations per ms of the busy hook, measured. */
  let perMs = 1;

  const thread = () => tenantThread(t.svc.pool, 'default')?.thread as unknown as ThreadFields & object | undefined;
  /** A JobStart (the job's id is the hook's loop count, in millions), then its JobEnd. */
  async function event(client: string, millions: number): Promise<EventOutcome> {
    const job = { ...sampleBackupJob(Math.max(1, Math.round(millions))), client };
    const o = await session.send({ type: 'job-start', job });
    await session.send({ type: 'job-end', job: { ...job, status: 'terminated' } });
    return o;
  }
  /** Runs f, sampling the hook thread's nice value meanwhile; the highest seen. */
  async function watchNice<T>(f: () => Promise<T>): Promise<{ r: T; maxNice: number }> {
    const tid = thread()!.tid!;
    let maxNice = niceOf(tid)!;
    const iv = setInterval(() => { const n = niceOf(tid); if (n !== undefined) maxNice = Math.max(maxNice, n); }, 5);
    try {
      return { r: await f(), maxNice };
    } finally {
      clearInterval(iv);
    }
  }

  beforeAll(async () => {
    build = buildCHook(join(REPO_ROOT, 'test', 'unit', 'fixtures', 'busy.c'));
    t = await startTestService({
      limits: { tenants: { default: { deadlineMs: DEADLINE_MS } } },
      log: (l) => logs.push(l),
    });
    session = await t.session({
      doesVolumeExist: (name) => new Promise<boolean>((resolve) => setTimeout(() => resolve(name === 'wait'), DIRECTOR_HOLD_MS)),
    });
    await t.admin.register({ name: 'busy', component: readFileSync(build.wasm), events: ['job-start'] });
    // Calibrate: how many million iterations the hook runs per ms here.
    await event('busy', 1);
    const o = await event('busy', 50);
    expect(o.hooks[0]?.status).toBe('ok');
    perMs = 50 / Math.max(1, o.hooks[0].durationMs);
    // The thread has reported its TID by now.
    await vi.waitFor(() => expect(thread()?.tid).toBeTypeOf('number'));
  });

  afterAll(async () => {
    await t?.cleanup();
    if (build) removeBuild(build.dir);
  });

  it('runs hook threads 10 nice values below the main thread, which keeps its own', () => {
    const main = getPriority(0);
    expect(niceOf(thread()!.tid!)).toBe(Math.min(19, main + HOOK_THREAD_NICENESS));
    expect(niceOf(process.pid)).toBe(main);
  });

  it('an invocation that only waits (for the director) past a tenth of its deadline is not pushed down', async () => {
    const before = thread();
    const { r, maxNice } = await watchNice(() => event('wait', 1));
    expect(r.hooks[0]?.status).toBe('ok');
    expect(r.hooks[0].durationMs).toBeGreaterThan(DEADLINE_MS * DEMOTE_AT + 100);
    expect(maxNice).toBe(Math.min(19, getPriority(0) + HOOK_THREAD_NICENESS));
    expect(thread()).toBe(before);
    expect(thread()!.demoted).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)('a busy one is pushed down to nice 19 while it runs, and raised back after it (with the privilege: same thread)', async () => {
    const before = thread()!;
    const { r, maxNice } = await watchNice(() => event('busy', BUSY_MS * perMs));
    expect(r.hooks[0]?.status).toBe('ok');
    expect(r.hooks[0].durationMs).toBeGreaterThan(DEADLINE_MS * DEMOTE_AT + 100);
    expect(maxNice).toBe(19);
    expect(thread()).toBe(before);
    expect(before.demoted).toBe(false);
    expect(niceOf(before.tid!)).toBe(Math.min(19, getPriority(0) + HOOK_THREAD_NICENESS));
    expect(logs.filter((l) => / retired: /.test(l))).toEqual([]);
  });

  it('without the privilege the pushed-down thread is retired after the invocation; the next event runs on a fresh one at the usual nice value', async () => {
    sim.unprivileged = true;
    try {
      const before = thread()!;
      const replacements = t.svc.pool.replacements().default ?? 0;
      const { r, maxNice } = await watchNice(() => event('busy', BUSY_MS * perMs));
      expect(r.hooks[0]?.status).toBe('ok');
      expect(r.report.some((l) => /busy: \d+ million iterations/.test(l))).toBe(true);
      expect(maxNice).toBe(19);
      expect(sim.refused).toBeGreaterThan(0);
      expect(thread()).not.toBe(before);
      expect(logs.filter((l) => /^hook thread default#0 retired: /.test(l))).toHaveLength(1);
      expect(t.svc.pool.replacements().default ?? 0).toBe(replacements); // a retirement is not a replacement
      const next = await event('busy', 1);
      expect(next.hooks[0]?.status).toBe('ok');
      await vi.waitFor(() => expect(thread()?.tid).toBeTypeOf('number'));
      expect(niceOf(thread()!.tid!)).toBe(Math.min(19, getPriority(0) + HOOK_THREAD_NICENESS));
    } finally {
      sim.unprivileged = false;
    }
  });

  it('a hook spinning into its deadline is pushed down, then replaced as ever', async () => {
    const { r, maxNice } = await watchNice(() => event('loop', 1));
    expect(r.hooks[0]?.status).toBe('timed-out');
    expect(maxNice).toBe(19);
    expect(logs.filter((l) => /^hook thread default#0 replaced: /.test(l))).toHaveLength(1);
  });
});
