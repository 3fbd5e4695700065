// Measurement 6: the sandbox. Three tenants in one service, each with its
// own token: "spinner" runs the hostile C hook (test/fixtures/hooks/hostile.c)
// on jobs whose Client is "loop", so it spins into its deadline and its thread
// is replaced; "neighbour" runs the C conformance hook; "memory" runs the
// hostile hook built with a 1 GiB memory maximum, under a 16 MiB cap.
//  - deadline_to_replaced: from the deadline firing (the service's "replaced"
//    log line) to the replacement thread's answer to the spinner's next event;
//  - the neighbour's sequential JobStart round trips alone, then while the
//    spinner spins into its deadline again and again (after one discarded
//    warm-up phase; each "alone" phase starts once the spinner's last
//    replacement thread is up);
//  - what the memory bomb got under the cap.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { startHookService, type RunningService } from '../src/server/hook-service.js';
import { AdminClient } from '../src/client/admin-client.js';
import { DirectorSessionClient } from '../src/client/director-client.js';
import { REPO_ROOT } from '../src/cli/example-hooks.js';
import { sha256Hex } from '../src/server/auth.js';
import { DAEMON, benchJob, endedJob } from './fixtures.js';
import { percentile } from './stats.js';
import { removeTempDir, tempDir } from './tmp.js';

export interface SandboxPlan {
  reps: number;
  /** Neighbour JobStarts measured per phase (alone, beside the spinner), after a warm-up. */
  events: number;
  warmup: number;
  /** The beside-the-spinner phase runs at least this long, so it spans several deadlines. */
  spinPhaseMinMs: number;
  spinnerDeadlineMs: number;
  /** Deadline → replaced samples. */
  replacements: number;
  memoryCapMiB: number;
}

export const SANDBOX_PLAN: SandboxPlan = {
  reps: 3, events: 400, warmup: 50, spinPhaseMinMs: 2500, spinnerDeadlineMs: 300, replacements: 7, memoryCapMiB: 16,
};

export interface SandboxRuns {
  /** Per sample: deadline fired → replacement thread answered the next event, ms. */
  deadlineToReplacedMs: number[];
  /** Per repetition: the neighbour's JobStart round trip percentiles, ms. */
  aloneP50: number[];
  aloneP99: number[];
  spinP50: number[];
  spinP99: number[];
  /** Deadlines the spinner hit during each beside-the-spinner phase. */
  spinsPerPhase: number[];
  /**
   * Per repetition: CPU the rest of the machine (other processes) used during
   * the alone and the beside phases, in cores (Linux; NaN elsewhere): the noise.
   */
  otherCoresAlone: number[];
  otherCoresBeside: number[];
  /** Per repetition: every measured round trip of the two phases, ms (for pooled percentiles). */
  aloneMs: number[][];
  besideMs: number[][];
  /** The memory bomb under the cap: linear memory when its allocator failed, MiB; and the 1 MiB blocks it got. */
  memoryCapHitMiB: number[];
  memoryBlocksMiB: number[];
  errors: string[];
}

type Tenant = 'spinner' | 'neighbour' | 'memory';

/** Builds a C hook with the kit's build.sh (clang + jco: about 1.5 s). */
async function buildC(source: string, out: string, env: Record<string, string> = {}) {
  await promisify(execFile)('bash', [join(REPO_ROOT, 'hooks-sdk/c/build.sh'), source, '-o', out], { env: { ...process.env, ...env }, cwd: REPO_ROOT });
}

export async function measureSandbox(plan: SandboxPlan, progress: (s: string) => void): Promise<SandboxRuns> {
  const runs: SandboxRuns = {
    deadlineToReplacedMs: [], aloneP50: [], aloneP99: [], spinP50: [], spinP99: [], spinsPerPhase: [], otherCoresAlone: [], otherCoresBeside: [], aloneMs: [], besideMs: [],
    memoryCapHitMiB: [], memoryBlocksMiB: [], errors: [],
  };
  const dir = tempDir('sandbox');
  const fixtures = join(REPO_ROOT, 'test', 'fixtures', 'hooks');
  const wasm = { conformance: join(dir, 'conformance.wasm'), hostile: join(dir, 'hostile.wasm'), hostile1g: join(dir, 'hostile-1g.wasm') };
  await Promise.all([
    buildC(join(fixtures, 'conformance.c'), wasm.conformance),
    buildC(join(fixtures, 'hostile.c'), wasm.hostile),
    buildC(join(fixtures, 'hostile.c'), wasm.hostile1g, { BH_MAX_MEMORY: String(2 ** 30) }),
  ]);

  const tenants: Tenant[] = ['spinner', 'neighbour', 'memory'];
  const tokens = Object.fromEntries(tenants.map((t) => [t, `bench-${t}-${Math.random().toString(36).slice(2)}`])) as Record<Tenant, string>;
  /** performance.now() of each thread replacement the service logs. */
  const replacedAt: number[] = [];
  const svc: RunningService = await startHookService({
    listen: '127.0.0.1:0', dataDir: join(dir, 'data'),
    auth: { tokens: tenants.map((tenant) => ({ tenant, sha256: sha256Hex(tokens[tenant]) })) },
    limits: {
      tenants: {
        spinner: { deadlineMs: plan.spinnerDeadlineMs },
        memory: { memoryMiB: plan.memoryCapMiB, deadlineMs: 5000 },
      },
    },
    suspendAfterFailures: 0, // the spinner fails on purpose, again and again
    // Log lines are JSON (the service's structured log): the replacement is its message.
    log: (line) => { if (/"msg":"hook thread spinner#\d+ replaced: /.test(line)) replacedAt.push(performance.now()); },
  });
  const admins: AdminClient[] = [];
  const sessions: DirectorSessionClient[] = [];
  const open = async (tenant: Tenant) => {
    const admin = new AdminClient(svc.address, { token: tokens[tenant] });
    admins.push(admin);
    const session = await DirectorSessionClient.open(svc.address, {
      token: tokens[tenant], daemon: DAEMON, handlers: { run: () => 1, cancel: () => {}, doesVolumeExist: () => false },
    });
    sessions.push(session);
    return { admin, session };
  };
  try {
    const spinner = await open('spinner');
    const neighbour = await open('neighbour');
    const memory = await open('memory');
    await spinner.admin.register({ name: 'hostile', component: readFileSync(wasm.hostile), events: ['job-start'] });
    await neighbour.admin.register({ name: 'conformance', component: readFileSync(wasm.conformance) });
    await memory.admin.register({ name: 'hostile', component: readFileSync(wasm.hostile1g), events: ['job-start'] });

    let jobId = 5_000_000;
    /** JobStart of a fresh job on the spinner (its JobEnd, which no hook takes, closes the job). */
    const spinnerJob = async (client: string) => {
      const job = { ...benchJob(jobId++), client };
      const o = await spinner.session.send({ type: 'job-start', job });
      void spinner.session.send({ type: 'job-end', job: endedJob(job) });
      return o;
    };
    const spin = () => spinnerJob('loop');
    const harmless = () => spinnerJob('client1-fd');

    // Deadline → replacement thread answering the next event.
    await harmless(); // the spinner's thread and instance exist
    for (let i = 0; i < plan.replacements; i++) {
      const n = replacedAt.length;
      const o = await spin();
      if (o.hooks[0]?.status !== 'timed-out') runs.errors.push(`spinner: expected timed-out, got ${o.hooks[0]?.status}: ${o.hooks[0]?.message}`);
      const next = await harmless();
      const answered = performance.now();
      if (next.hooks[0]?.status !== 'ok') runs.errors.push(`spinner after the deadline: ${next.hooks[0]?.status}: ${next.hooks[0]?.message}`);
      if (replacedAt.length !== n + 1) runs.errors.push(`expected one thread replacement per deadline, saw ${replacedAt.length - n}`);
      else runs.deadlineToReplacedMs.push(answered - replacedAt[n]);
    }
    progress(`  deadline → replacement answered: ${runs.deadlineToReplacedMs.map((x) => x.toFixed(0)).join(', ')} ms`);

    // The neighbour's sequential JobStarts: one phase alone, one beside the spinner.
    const neighbourPhase = async (minMs: number): Promise<number[]> => {
      const rt: number[] = [];
      const t0 = performance.now();
      for (let n = 0; n < plan.warmup + plan.events || performance.now() - t0 < minMs; n++) {
        const job = benchJob(jobId++);
        const s0 = performance.now();
        const o = await neighbour.session.send({ type: 'job-start', job });
        const ms = performance.now() - s0;
        if (o.hooks[0]?.status !== 'ok' || !o.report.includes(`attr job-id=${job.jobId}`)) {
          runs.errors.push(`neighbour JobStart ${job.jobId}: ${o.hooks[0]?.status}: ${o.hooks[0]?.message}`);
        }
        if (n >= plan.warmup) rt.push(ms);
        await neighbour.session.send({ type: 'job-end', job: endedJob(job) });
      }
      return rt;
    };
    // One discarded phase first: the first repetition's "alone" would otherwise still be warming up.
    await neighbourPhase(0);
    for (let i = 1; i <= plan.reps; i++) {
      let other = otherCpu();
      const alone = await neighbourPhase(0);
      runs.otherCoresAlone.push(other());
      let spinning = true;
      const before = replacedAt.length;
      const spinnerLoop = (async () => {
        while (spinning) {
          const o = await spin();
          if (o.hooks[0]?.status !== 'timed-out') runs.errors.push(`spinner: expected timed-out, got ${o.hooks[0]?.status}`);
        }
      })();
      await new Promise((r) => setTimeout(r, 50)); // the spinner is spinning
      other = otherCpu();
      const beside = await neighbourPhase(plan.spinPhaseMinMs);
      runs.otherCoresBeside.push(other());
      spinning = false;
      await spinnerLoop;
      runs.spinsPerPhase.push(replacedAt.length - before);
      // The last deadline's replacement thread boots now: the next "alone" phase starts once it is up.
      await harmless();
      runs.aloneP50.push(percentile(alone, 50));
      runs.aloneP99.push(percentile(alone, 99));
      runs.spinP50.push(percentile(beside, 50));
      runs.spinP99.push(percentile(beside, 99));
      runs.aloneMs.push(alone.map((x) => +x.toFixed(3)));
      runs.besideMs.push(beside.map((x) => +x.toFixed(3)));
      progress(`  rep ${i}/${plan.reps} neighbour JobStart alone p50 ${runs.aloneP50.at(-1)!.toFixed(2)} / p99 ${runs.aloneP99.at(-1)!.toFixed(2)} ms; ` +
        `beside the spinner (${runs.spinsPerPhase.at(-1)} deadlines, ${beside.length} events) p50 ${runs.spinP50.at(-1)!.toFixed(2)} / p99 ${runs.spinP99.at(-1)!.toFixed(2)} ms; ` +
        `other processes used ${runs.otherCoresAlone.at(-1)!.toFixed(2)} / ${runs.otherCoresBeside.at(-1)!.toFixed(2)} of ${cpus().length} cores`);
    }

    // The memory bomb under the cap.
    for (let i = 0; i < plan.reps; i++) {
      const job = { ...benchJob(jobId++), client: 'membomb' };
      const o = await memory.session.send({ type: 'job-start', job });
      await memory.session.send({ type: 'job-end', job: endedJob(job) });
      const m = /^membomb: got (\d+) MiB before the allocator failed; linear memory (\d+) pages/.exec(o.hooks[0]?.report[0] ?? '');
      if (!m) {
        runs.errors.push(`membomb: no report line (${o.hooks[0]?.status}: ${o.hooks[0]?.message})`);
        continue;
      }
      runs.memoryBlocksMiB.push(Number(m[1]));
      runs.memoryCapHitMiB.push((Number(m[2]) * 64) / 1024);
    }
    progress(`  membomb under a ${plan.memoryCapMiB} MiB cap: linear memory ${runs.memoryCapHitMiB.map((x) => x.toFixed(2)).join(', ')} MiB when its allocator failed (${runs.memoryBlocksMiB.join(', ')} blocks of 1 MiB)`);
  } catch (e) {
    runs.errors.push(`sandbox: ${(e as Error).message}`);
  } finally {
    await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
    for (const a of admins) a.close();
    await svc.close();
    removeTempDir(dir);
  }
  return runs;
}

/** Busy CPU time of the whole machine (all CPUs), ms, from /proc/stat; NaN where there is none. */
function machineBusyMs(): number {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
    return (busy * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** Starts measuring; the returned function gives the cores other processes kept busy meanwhile. */
function otherCpu(): () => number {
  const t0 = performance.now();
  const m0 = machineBusyMs();
  const own0 = process.cpuUsage();
  return () => {
    const own = process.cpuUsage(own0);
    return (machineBusyMs() - m0 - (own.user + own.system) / 1000) / (performance.now() - t0);
  };
}
