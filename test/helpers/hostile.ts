// Helpers of the hostile-hook suite and the benchmark's sandbox section:
// tenants with their own tokens, C hooks built on the spot (with another
// memory maximum), a neighbour tenant's steady stream of events with every
// outcome checked, and a look inside the worker pool.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { REPO_ROOT } from '../../src/cli/example-hooks.js';
import { sha256Hex } from '../../src/server/auth.js';
import type { TokenEntry } from '../../src/config.js';
import type { WorkerPool } from '../../src/sandbox/worker-pool.js';
import type { DirectorSessionClient } from '../../src/client/director-client.js';
import type { EventOutcome } from '../../src/model/outcome.js';
import { sampleBackupJob } from '../../src/model/sample-job.js';

/** One bearer token per tenant, and the service's token table for them. */
export function tenantTokens<T extends string>(tenants: readonly T[]): { tokens: Record<T, string>; entries: TokenEntry[] } {
  const tokens = Object.fromEntries(tenants.map((t) => [t, `token-of-${t}-${Math.random().toString(36).slice(2)}`])) as Record<T, string>;
  return { tokens, entries: tenants.map((tenant) => ({ tenant, sha256: sha256Hex(tokens[tenant]) })) };
}

/** Builds a C hook with the C kit's build.sh (environment: BH_MAX_MEMORY and the like) into a fresh temp dir. */
export function buildCHook(source: string, env: Record<string, string> = {}): { wasm: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-build-'));
  const wasm = join(dir, 'hook.wasm');
  execFileSync('bash', [join(REPO_ROOT, 'hooks-sdk/c/build.sh'), source, '-o', wasm], {
    stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env }, cwd: REPO_ROOT,
  });
  return { wasm, dir };
}

export const removeBuild = (dir: string) => rmSync(dir, { recursive: true, force: true });

/** The hostile hook's source. */
export const HOSTILE_C = join(REPO_ROOT, 'test', 'fixtures', 'hooks', 'hostile.c');

/** What many-functions.c reports for a job: acc = JobId; for n in 1000..5999: acc = acc * (2n + 1) + n, in u32. */
export function manyFunctionsChecksum(jobId: number): number {
  let acc = jobId >>> 0;
  for (let n = 1000; n < 6000; n++) acc = (Math.imul(acc, 2 * n + 1) + n) >>> 0;
  return acc;
}

// ---- Inside the worker pool (TypeScript's private is a compile-time matter only) ----

interface ThreadView {
  thread?: { channel: { worker: Worker; alive: boolean } };
  queue: unknown[];
  running: boolean;
  replacements: number;
}
type PoolView = { tenants: Map<string, { threads: ThreadView[] }> };

/** The tenant's hook thread (the first; the suite runs one per tenant). */
export function tenantThread(pool: WorkerPool, tenant: string): ThreadView | undefined {
  return (pool as unknown as PoolView).tenants.get(tenant)?.threads[0];
}

/** The live worker of the tenant's hook thread, if it has one. */
export function tenantWorker(pool: WorkerPool, tenant: string): Worker | undefined {
  const t = tenantThread(pool, tenant)?.thread;
  return t?.channel.alive ? t.channel.worker : undefined;
}

// ---- A neighbour tenant's steady stream of events ----

export interface NeighbourJob {
  jobId: number;
  /** When the JobEnd outcome arrived (performance.now()). */
  doneAt: number;
  /** JobStart round trip, ms. */
  startMs: number;
}

/**
 * Runs whole jobs (JobStart, JobEnd) of the conformance hook on `session`,
 * one after another, until stop(); checks every outcome against what the
 * conformance hook must answer and keeps any mismatch as a problem.
 */
export class Neighbour {
  readonly jobs: NeighbourJob[] = [];
  readonly problems: string[] = [];
  private stopping = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly session: DirectorSessionClient, private readonly firstJobId: number) {}

  start(): this {
    this.loop = this.run();
    return this;
  }

  private async run() {
    for (let jobId = this.firstJobId; !this.stopping; jobId++) {
      const job = sampleBackupJob(jobId);
      try {
        const t0 = performance.now();
        const start = await this.session.send({ type: 'job-start', job });
        const startMs = performance.now() - t0;
        this.check(jobId, 'JobStart', start, (o) => [
          o.hooks.length === 1 && o.hooks[0].status === 'ok' ? '' : `hooks ${JSON.stringify(o.hooks.map((h) => [h.hookName, h.status, h.message]))}`,
          o.report.includes(`attr job-id=${jobId}`) ? '' : 'no attr job-id line',
          o.report.includes('seen job-start') ? '' : 'no "seen job-start"',
          JSON.stringify(o.writes) === '{"priority":11}' ? '' : `writes ${JSON.stringify(o.writes)}`,
          o.failJob ? 'failJob' : '',
        ]);
        const end = await this.session.send({ type: 'job-end', job: { ...job, status: 'terminated' } });
        this.check(jobId, 'JobEnd', end, (o) => [
          o.hooks.length === 1 && o.hooks[0].status === 'ok' ? '' : `hooks ${JSON.stringify(o.hooks.map((h) => [h.hookName, h.status, h.message]))}`,
          // The instance kept this job's memory from JobStart to JobEnd: not reset, not mixed with another job.
          o.report[0] === 'seen job-start,job-end' ? '' : `first line ${JSON.stringify(o.report[0])}`,
        ]);
        this.jobs.push({ jobId, doneAt: performance.now(), startMs });
      } catch (e) {
        this.problems.push(`job ${jobId}: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  private check(jobId: number, what: string, o: EventOutcome, tests: (o: EventOutcome) => string[]) {
    const bad = tests(o).filter(Boolean);
    if (bad.length) this.problems.push(`job ${jobId} ${what}: ${bad.join('; ')}`);
  }

  /** Jobs whose JobEnd came back within [from, to] (performance.now() times). */
  doneBetween(from: number, to: number): number {
    return this.jobs.filter((j) => j.doneAt >= from && j.doneAt <= to).length;
  }

  async stop(): Promise<this> {
    this.stopping = true;
    await this.loop;
    return this;
  }
}

/** Resident set size of this process (the service and its hook threads live in it), MiB. */
export const rssMiB = () => process.memoryUsage().rss / 2 ** 20;
