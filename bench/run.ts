// npm run bench: echo baseline vs events through the hook service, sequential
// round trips, a hook's one-time costs (transpile, register, first event,
// instantiate), the seed port per language, and the sandbox (deadline to
// replacement, a neighbour tenant beside a spinning hook, the memory cap).
// Every number is the median over repetitions; each measurement runs in the
// same invocation as its baseline. Writes bench/results.json.
//
// `npm run bench -- --only sandbox` (or --only throughput,cold,seeds,sandbox in
// any combination) runs only those sections; a partial run writes
// tmp/bench-results.<sections>.json instead, leaving bench/results.json to the
// full run. --sandbox-reps N repeats the sandbox's neighbour phases N times (default 3).
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXAMPLES, ensureBuilt } from '../src/cli/example-hooks.js';
import { LoadProcess } from './load-process.js';
import { measureThroughput, type ThroughputPlan, type ThroughputRuns } from './throughput.js';
import { measureCold, type ColdRuns } from './cold.js';
import { measureSeedPorts, type SeedRuns } from './seed-languages.js';
import { SANDBOX_PLAN, measureSandbox, type SandboxRuns } from './sandbox.js';
import { median } from './stats.js';
import { spreads, table, writeResults, type Row } from './report.js';
import { encodedEventMessage } from './fixtures.js';
import { removeAllTempDirs } from './tmp.js';

const SECTIONS = ['throughput', 'cold', 'seeds', 'sandbox'] as const;
type Section = (typeof SECTIONS)[number];
const { values: args } = parseArgs({ options: { only: { type: 'string' }, 'sandbox-reps': { type: 'string' } } });
if (args['sandbox-reps']) SANDBOX_PLAN.reps = Math.max(1, Number(args['sandbox-reps']) | 0);
const only = args.only?.split(',').map((x) => x.trim()).filter(Boolean);
for (const x of only ?? []) {
  if (!(SECTIONS as readonly string[]).includes(x)) {
    process.stderr.write(`bench: unknown section ${x} (the sections: ${SECTIONS.join(', ')})\n`);
    process.exit(2);
  }
}
const runs = (x: Section) => !only || only.includes(x);
const partial = only !== undefined && SECTIONS.some((x) => !runs(x));

const started = performance.now();
const say = (s = '') => process.stdout.write(`${s}\n`);
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

/** Repetitions of the throughput and round-trip runs, and of the (slower) one-time costs. */
const REPS = 5;
const COLD_REPS = 3;
const PLAN: ThroughputPlan = { reps: REPS, count: 10_000, concurrency: 64, warmup: 2000, seqCount: 1000, seqWarmup: 200, prime: 5000 };

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memGiB: +(totalmem() / 2 ** 30).toFixed(1),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
const load1 = () => +loadavg()[0].toFixed(2);
const loadAtStart = load1();
say(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, node ${machine.node} (${machine.platform}); load average ${loadAtStart}`);
if (loadAtStart > machine.cores / 2) say(`note: the machine is already busy (1-minute load ${loadAtStart} on ${machine.cores} cores): expect noisy numbers`);

const hook = EXAMPLES.find((e) => e.name === 'dir-startup')!;
if (runs('throughput') || runs('cold')) {
  if (ensureBuilt(hook)) say(`built ${hook.name} (${elapsed()})`);
}
const messageBytes = encodedEventMessage().length;
if (partial) say(`only: ${SECTIONS.filter(runs).join(', ')}`);

let load: LoadProcess | undefined;
const stop = () => { load?.kill(); removeAllTempDirs(); process.exit(130); };
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

let tp: ThroughputRuns | undefined;
if (runs('throughput')) {
  say(`message: one encoded DirectorMessage{event: JobStart} = ${messageBytes} bytes; ${PLAN.count} calls per run (+${PLAN.warmup} warm-up), ${PLAN.concurrency} in flight; ${REPS} repetitions`);
  load = new LoadProcess();
  try {
    say(`\n== Throughput: echo baseline vs events through the service (load from a separate process)`);
    tp = await measureThroughput(load, hook, PLAN, say);
    say(`   (${elapsed()})`);
  } finally {
    await load.close();
  }
}
let cold: ColdRuns | undefined;
if (runs('cold')) {
  say(`\n== One-time costs of ${hook.name} (fresh process, cache dir or service + data dir each repetition)`);
  cold = await measureCold(hook, COLD_REPS, say);
  say(`   (${elapsed()})`);
}
let seeds: SeedRuns[] | undefined;
if (runs('seeds')) {
  say(`\n== The seed's DirStartUp port in TypeScript, C and Rust: size, build from source, JobStart once warm`);
  seeds = await measureSeedPorts(COLD_REPS, 300, say);
  say(`   (${elapsed()})`);
}
let sandbox: SandboxRuns | undefined;
if (runs('sandbox')) {
  say(`\n== Sandbox: deadline to replacement, a neighbour tenant's JobStart alone and beside a hook spinning into its ${SANDBOX_PLAN.spinnerDeadlineMs} ms deadline, a memory bomb under a ${SANDBOX_PLAN.memoryCapMiB} MiB cap`);
  sandbox = await measureSandbox(SANDBOX_PLAN, say);
  say(`   (${elapsed()})`);
}

const pick = <T>(xs: T[], f: (x: T) => number) => xs.map(f);
const ratios = (a: number[], b: number[]) => a.map((x, i) => x / b[i]);
const m = (xs: number[]) => median(xs);
const rows: Row[] = [];
if (tp) {
  const R = {
    echoRps: pick(tp.echo, (r) => r.rps), echoP50: pick(tp.echo, (r) => r.p50Ms), echoP99: pick(tp.echo, (r) => r.p99Ms),
    eventRps: pick(tp.event, (r) => r.rps), eventP50: pick(tp.event, (r) => r.p50Ms), eventP99: pick(tp.event, (r) => r.p99Ms),
    echoSeq: pick(tp.echoSeq, (r) => r.p50Ms), eventSeq: pick(tp.eventSeq, (r) => r.p50Ms),
  };
  rows.push(
    { metric: 'echo_rps', value: m(R.echoRps), runs: R.echoRps },
    { metric: 'echo_p50_ms', value: m(R.echoP50), runs: R.echoP50 },
    { metric: 'echo_p99_ms', value: m(R.echoP99), runs: R.echoP99 },
    { metric: 'event_rps', value: m(R.eventRps), baseline: { metric: 'echo_rps', value: m(R.echoRps) }, ratio: m(ratios(R.eventRps, R.echoRps)), runs: R.eventRps },
    { metric: 'event_p50_ms', value: m(R.eventP50), baseline: { metric: 'echo_p50_ms', value: m(R.echoP50) }, ratio: m(ratios(R.eventP50, R.echoP50)), runs: R.eventP50 },
    { metric: 'event_p99_ms', value: m(R.eventP99), baseline: { metric: 'echo_p99_ms', value: m(R.echoP99) }, ratio: m(ratios(R.eventP99, R.echoP99)), runs: R.eventP99 },
    { metric: 'event_vs_echo_rps_ratio', value: m(ratios(R.eventRps, R.echoRps)), runs: ratios(R.eventRps, R.echoRps) },
    { metric: 'event_vs_echo_p99_ratio', value: m(ratios(R.eventP99, R.echoP99)), runs: ratios(R.eventP99, R.echoP99) },
    { metric: 'echo_seq_p50_ms', value: m(R.echoSeq), runs: R.echoSeq },
    { metric: 'event_seq_p50_ms', value: m(R.eventSeq), baseline: { metric: 'echo_seq_p50_ms', value: m(R.echoSeq) }, ratio: m(ratios(R.eventSeq, R.echoSeq)), runs: R.eventSeq },
  );
}
if (cold) {
  rows.push(
    { metric: 'transpile_js_ms', value: m(cold.transpileMs), runs: cold.transpileMs },
    { metric: 'transpile_warm_js_ms', value: m(cold.transpileWarmMs), baseline: { metric: 'transpile_js_ms', value: m(cold.transpileMs) }, ratio: m(ratios(cold.transpileWarmMs, cold.transpileMs)), runs: cold.transpileWarmMs },
    { metric: 'instantiate_js_ms', value: m(cold.instantiateMs), runs: cold.instantiateMs },
    { metric: 'instantiate_warm_js_ms', value: m(cold.instantiateWarmMs), baseline: { metric: 'instantiate_js_ms', value: m(cold.instantiateMs) }, ratio: m(ratios(cold.instantiateWarmMs, cold.instantiateMs)), runs: cold.instantiateWarmMs },
    { metric: 'register_js_ms', value: m(cold.registerMs), runs: cold.registerMs },
  );
  if (tp) {
    const eventSeq = m(pick(tp.eventSeq, (r) => r.p50Ms));
    rows.push({ metric: 'first_event_js_ms', value: m(cold.firstEventMs), baseline: { metric: 'event_seq_p50_ms', value: eventSeq }, ratio: m(cold.firstEventMs) / eventSeq, runs: cold.firstEventMs });
  } else {
    rows.push({ metric: 'first_event_js_ms', value: m(cold.firstEventMs), runs: cold.firstEventMs });
  }
}
for (const r of seeds ?? []) {
  rows.push(
    { metric: `seed_${r.lang}_size_bytes`, value: r.sizeBytes, runs: [r.sizeBytes] },
    { metric: `seed_${r.lang}_build_ms`, value: m(r.buildMs), runs: r.buildMs },
    { metric: `seed_${r.lang}_event_p50_ms`, value: m(r.eventMs), runs: r.eventMs },
    { metric: `seed_${r.lang}_hook_p50_ms`, value: m(r.hookMs), runs: r.hookMs },
  );
}
if (sandbox) {
  rows.push(
    { metric: 'deadline_to_replaced_ms', value: m(sandbox.deadlineToReplacedMs), runs: sandbox.deadlineToReplacedMs },
    { metric: 'neighbour_p50_ms', value: m(sandbox.aloneP50), runs: sandbox.aloneP50 },
    { metric: 'neighbour_p99_ms', value: m(sandbox.aloneP99), runs: sandbox.aloneP99 },
    { metric: 'neighbour_spin_p50_ms', value: m(sandbox.spinP50), baseline: { metric: 'neighbour_p50_ms', value: m(sandbox.aloneP50) }, ratio: m(ratios(sandbox.spinP50, sandbox.aloneP50)), runs: sandbox.spinP50 },
    { metric: 'neighbour_spin_p99_ms', value: m(sandbox.spinP99), baseline: { metric: 'neighbour_p99_ms', value: m(sandbox.aloneP99) }, ratio: m(ratios(sandbox.spinP99, sandbox.aloneP99)), runs: sandbox.spinP99 },
    { metric: 'neighbour_p99_increase', value: m(sandbox.spinP99) / m(sandbox.aloneP99) - 1, runs: ratios(sandbox.spinP99, sandbox.aloneP99).map((r) => r - 1) },
    { metric: 'memory_cap_hit_mib', value: m(sandbox.memoryCapHitMiB), runs: sandbox.memoryCapHitMiB },
    // Noise: cores other processes kept busy during the neighbour phases.
    { metric: 'sandbox_other_cores', value: m([...sandbox.otherCoresAlone, ...sandbox.otherCoresBeside]), runs: sandbox.otherCoresAlone.flatMap((a, i) => [a, sandbox.otherCoresBeside[i]]) },
  );
}

const errors = [
  ...(tp ? [...tp.echo, ...tp.event, ...tp.echoSeq, ...tp.eventSeq].filter((r) => r.errors).map((r) => `${r.errors} errors: ${r.firstError}`) : []),
  ...(cold?.errors ?? []),
  ...(sandbox?.errors ?? []),
];

const loadAtEnd = load1();
say(`\n== Results${partial ? ` (${SECTIONS.filter(runs).join(', ')} only)` : ''} (median of ${REPS} repetitions, ${COLD_REPS} for transpile/instantiate/register/first event, ${SANDBOX_PLAN.reps} for the neighbour and the memory cap, ${SANDBOX_PLAN.replacements} samples of deadline_to_replaced; ratio = median of the per-repetition ratios)`);
say(`machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}; 1-minute load average ${loadAtStart} at start, ${loadAtEnd} at end (the bench itself included)`);
say(table(rows));
say(`\nper repetition:\n${spreads(rows)}`);
if (errors.length) say(`\nERRORS:\n  ${errors.join('\n  ')}`);

const out = partial
  ? fileURLToPath(new URL(`../tmp/bench-results.${SECTIONS.filter(runs).join('-')}.json`, import.meta.url))
  : fileURLToPath(new URL('./results.json', import.meta.url));
if (partial) mkdirSync(fileURLToPath(new URL('../tmp/', import.meta.url)), { recursive: true });
writeResults(out, {
  date: new Date().toISOString(),
  machine,
  plan: { ...PLAN, messageBytes, coldReps: COLD_REPS, hook: hook.name, sandbox: SANDBOX_PLAN, sections: SECTIONS.filter(runs) },
  loadAverage: { start: loadAtStart, end: loadAtEnd },
  metrics: Object.fromEntries(rows.map((r) => [r.metric, r.value])),
  ratios: Object.fromEntries(rows.filter((r) => r.ratio !== undefined).map((r) => [`${r.metric}/${r.baseline!.metric}`, r.ratio])),
  runs: { throughput: tp, cold, seeds, sandbox },
  errors,
  durationS: +((performance.now() - started) / 1000).toFixed(1),
});
say(`\nwrote ${out} in ${elapsed()}`);
process.exitCode = errors.length ? 1 : 0;
// Everything is closed; if some handle still held the loop, say so rather than hang.
setTimeout(() => { process.stderr.write('bench: a handle kept the process alive; exiting\n'); process.exit(process.exitCode); }, 10_000).unref();
