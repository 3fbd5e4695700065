// npm run bench: echo baseline vs events through the hook service (a C hook
// that reads 3 attributes and writes one report line), sequential round
// trips, one host call vs a plain wasm import call, a director call vs a bare
// gRPC bidi ping, our hook call vs an Extism plugin call, cold start per
// language and warm restart, a hook's one-time costs (transpile, register,
// first event, instantiate), the seed port per language, the sandbox
// (deadline to replacement, a neighbour tenant beside a spinning hook, the
// memory cap) and the idle memory per tenant hook. Every number is the median
// over repetitions; each measurement runs in the same invocation as its
// baseline. Issue #5's targets are printed with ✔ or ✘: goals, not tests.
// Writes bench/results.json.
//
// `npm run bench -- --only sandbox` (or --only throughput,hostcall,director,extism,coldstart,cold,seeds,sandbox,rss in
// any combination) runs only those sections; a partial run writes
// tmp/bench-results.<sections>.json instead, leaving bench/results.json to the
// full run. --sandbox-reps N repeats the sandbox's neighbour phases N times (default 3).
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXAMPLES, ensureBuilt, type ExampleHook } from '../src/cli/example-hooks.js';
import { LoadProcess } from './load-process.js';
import { measureThroughput, type ThroughputPlan, type ThroughputRuns } from './throughput.js';
import { measureCold, type ColdRuns } from './cold.js';
import { measureSeedPorts, type SeedRuns } from './seed-languages.js';
import { SANDBOX_PLAN, measureSandbox, type SandboxRuns } from './sandbox.js';
import { HOST_CALL_PLAN, measureHostCall, type HostCallRuns } from './host-call.js';
import { DIRECTOR_RTT_PLAN, measureDirectorRtt, type DirectorRttRuns } from './director-rtt.js';
import { EXTISM_PLAN, extismVersion, measureExtism, type ExtismRuns } from './extism.js';
import { COLD_START_HOOKS, COLD_START_PLAN, measureColdStart, type ColdStartRuns } from './cold-start.js';
import { IDLE_RSS_PLAN, measureIdleRss, type IdleRss } from './idle-rss.js';
import { FIXTURE_SOURCES, buildFixtures, fixturePath } from '../test/fixtures/build-fixtures.js';
import { median } from './stats.js';
import { met, spreads, table, writeResults, type Row } from './report.js';
import { encodedEventMessage } from './fixtures.js';
import { removeAllTempDirs } from './tmp.js';

const SECTIONS = ['throughput', 'hostcall', 'director', 'extism', 'coldstart', 'cold', 'seeds', 'sandbox', 'rss'] as const;
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
if (runs('cold')) {
  if (ensureBuilt(hook)) say(`built ${hook.name} (${elapsed()})`);
}
/** The events' hook (issue #5): a C hook that reads 3 job attributes and writes one report line. */
const eventHook: ExampleHook = { name: 'bench-three-reads', language: 'C', dir: FIXTURE_SOURCES, wasm: fixturePath('bench-three-reads.c'), build: '' };
if (['throughput', 'hostcall', 'director', 'extism', 'rss'].some((x) => runs(x as Section))) {
  buildFixtures((s) => say(`${s} (${elapsed()})`));
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
    say(`\n== Throughput: echo baseline vs events through the service to ${eventHook.name}.c (load from a separate process)`);
    tp = await measureThroughput(load, eventHook, PLAN, say);
    say(`   (${elapsed()})`);
  } finally {
    await load.close();
  }
}
let hostCall: HostCallRuns | undefined;
if (runs('hostcall')) {
  say(`\n== One host call (job.job-id) from inside a hook vs a plain wasm module's JS import: a guest loop of ${HOST_CALL_PLAN.hi}k vs ${HOST_CALL_PLAN.lo}k calls`);
  hostCall = await measureHostCall(HOST_CALL_PLAN, say);
  say(`   (${elapsed()})`);
}
let director: DirectorRttRuns | undefined;
if (runs('director')) {
  say(`\n== A hook's does-volume-exist answered by the director (a separate process) over its session vs a bare grpc-js bidi ping from the same process`);
  director = await measureDirectorRtt(DIRECTOR_RTT_PLAN, say);
  say(`   (${elapsed()})`);
}
let extism: ExtismRuns | undefined;
if (runs('extism')) {
  say(`\n== One call into guest code making 3 host calls: @extism/extism ${extismVersion()} (runInWorker, timeoutMs ${EXTISM_PLAN.timeoutMs}) vs our C hook in its thread (main thread → hook thread → back, through the dispatcher)`);
  extism = await measureExtism(EXTISM_PLAN, say);
  say(`   (${elapsed()})`);
}
let coldStart: ColdStartRuns | undefined;
if (runs('coldstart')) {
  say(`\n== Cold start on a running service: Register of a never-seen component → first JobStart answered (${Object.values(COLD_START_HOOKS).join(', ')}); warm restart of the JS hook`);
  coldStart = await measureColdStart(COLD_START_PLAN, say);
  say(`   (${elapsed()})`);
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
let rss: { c: IdleRss; js: IdleRss } | undefined;
if (runs('rss')) {
  say(`\n== Idle memory: a fresh service process with ${IDLE_RSS_PLAN.cTenants} tenants × one C hook, then one with ${IDLE_RSS_PLAN.jsTenants} tenants × one JS hook (each tenant its own hook thread)`);
  const c = await measureIdleRss(eventHook.wasm, IDLE_RSS_PLAN.cTenants);
  say(`  C: RSS ${(c.baseRssKb / 1024).toFixed(0)} → ${(c.loadedRssKb / 1024).toFixed(0)} MiB for ${c.tenants} hooks (loaded in ${(c.loadMs / 1000).toFixed(1)} s): ${c.perHookKb.toFixed(0)} KiB each`);
  const js = await measureIdleRss(hook.wasm, IDLE_RSS_PLAN.jsTenants);
  say(`  JS (${hook.name}): RSS ${(js.baseRssKb / 1024).toFixed(0)} → ${(js.loadedRssKb / 1024).toFixed(0)} MiB for ${js.tenants} hooks (loaded in ${(js.loadMs / 1000).toFixed(1)} s): ${js.perHookKb.toFixed(0)} KiB each`);
  rss = { c, js };
  say(`   (${elapsed()})`);
}

const pick = <T>(xs: T[], f: (x: T) => number) => xs.map(f);
const ratios = (a: number[], b: number[]) => a.map((x, i) => x / b[i]);
const m = (xs: number[]) => median(xs);
const rows: Row[] = [];
/** A metric: the median of its repetitions. */
const metric = (name: string, runs: number[], target?: Row['target']): Row => ({ metric: name, value: m(runs), runs, ...(target ? { target } : {}) });
/** A metric beside its same-run baseline: the ratio is the median of the per-repetition ratios. */
const against = (name: string, runs: number[], baseName: string, baseRuns: number[], target?: Row['target']): Row =>
  ({ metric: name, value: m(runs), baseline: { metric: baseName, value: m(baseRuns) }, ratio: m(ratios(runs, baseRuns)), runs, ...(target ? { target } : {}) });
if (tp) {
  const R = {
    echoRps: pick(tp.echo, (r) => r.rps), echoP50: pick(tp.echo, (r) => r.p50Ms), echoP99: pick(tp.echo, (r) => r.p99Ms),
    eventRps: pick(tp.event, (r) => r.rps), eventP50: pick(tp.event, (r) => r.p50Ms), eventP99: pick(tp.event, (r) => r.p99Ms),
    echoSeq: pick(tp.echoSeq, (r) => r.p50Ms), eventSeq: pick(tp.eventSeq, (r) => r.p50Ms),
  };
  rows.push(
    metric('echo_rps', R.echoRps),
    metric('echo_p50_ms', R.echoP50),
    metric('echo_p99_ms', R.echoP99),
    against('event_rps', R.eventRps, 'echo_rps', R.echoRps),
    against('event_p50_ms', R.eventP50, 'echo_p50_ms', R.echoP50),
    against('event_p99_ms', R.eventP99, 'echo_p99_ms', R.echoP99),
    { metric: 'event_vs_echo_rps_ratio', value: m(ratios(R.eventRps, R.echoRps)), runs: ratios(R.eventRps, R.echoRps), target: { op: '>=', bound: 0.8 } },
    { metric: 'event_vs_echo_p99_ratio', value: m(ratios(R.eventP99, R.echoP99)), runs: ratios(R.eventP99, R.echoP99), target: { op: '<=', bound: 2 } },
    metric('echo_seq_p50_ms', R.echoSeq),
    against('event_seq_p50_ms', R.eventSeq, 'echo_seq_p50_ms', R.echoSeq),
  );
}
if (hostCall) {
  const h = hostCall;
  rows.push(
    metric('plain_wasm_call_ns', h.plainWasmCallNs),
    against('host_call_ns', h.hostCallNs, 'plain_wasm_call_ns', h.plainWasmCallNs, { op: '<=', bound: 100 }),
  );
}
if (director) {
  const d = director;
  rows.push(
    metric('grpc_bidi_ping_ms', d.pingMs),
    metric('grpc_bidi_ping_p50_ms', d.pingP50Ms),
    against('director_call_rtt_ms', d.callRttMs, 'grpc_bidi_ping_ms', d.pingMs, { op: '<=', bound: 1.5 * m(d.pingMs), of: '1.5 × grpc_bidi_ping_ms' }),
  );
}
if (extism) {
  const x = extism;
  rows.push(
    metric('extism_call_us', x.extismP50Us),
    metric('extism_call_p99_us', x.extismP99Us),
    against('our_call_us', x.ourP50Us, 'extism_call_us', x.extismP50Us, { op: '<=', bound: 0.5 * m(x.extismP50Us), of: '0.5 × extism_call_us' }),
    against('our_call_p99_us', x.ourP99Us, 'extism_call_p99_us', x.extismP99Us, { op: '<=', bound: 1000 }),
  );
}
if (coldStart) {
  const c = coldStart;
  rows.push(
    metric('cold_start_c_ms', c.c, { op: '<=', bound: 50 }),
    metric('cold_start_rust_ms', c.rust),
    metric('cold_start_js_ms', c.js),
    { metric: 'warm_restart_js_ms', value: m(c.warmRestartJs), baseline: { metric: 'cold_start_js_ms', value: m(c.js) }, ratio: m(c.warmRestartJs) / m(c.js), runs: c.warmRestartJs, target: { op: '<=', bound: 100 } },
  );
}
if (cold) {
  rows.push(
    metric('transpile_js_ms', cold.transpileMs),
    against('transpile_warm_js_ms', cold.transpileWarmMs, 'transpile_js_ms', cold.transpileMs),
    metric('instantiate_js_ms', cold.instantiateMs),
    against('instantiate_warm_js_ms', cold.instantiateWarmMs, 'instantiate_js_ms', cold.instantiateMs),
    metric('register_js_ms', cold.registerMs),
  );
  if (tp) {
    const eventSeq = m(pick(tp.eventSeq, (r) => r.p50Ms));
    rows.push({ metric: 'first_event_js_ms', value: m(cold.firstEventMs), baseline: { metric: 'event_seq_p50_ms', value: eventSeq }, ratio: m(cold.firstEventMs) / eventSeq, runs: cold.firstEventMs });
  } else {
    rows.push(metric('first_event_js_ms', cold.firstEventMs));
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
    metric('deadline_to_replaced_ms', sandbox.deadlineToReplacedMs),
    metric('neighbour_p50_ms', sandbox.aloneP50),
    metric('neighbour_p99_ms', sandbox.aloneP99),
    against('neighbour_spin_p50_ms', sandbox.spinP50, 'neighbour_p50_ms', sandbox.aloneP50),
    against('neighbour_spin_p99_ms', sandbox.spinP99, 'neighbour_p99_ms', sandbox.aloneP99),
    { metric: 'neighbour_p99_increase', value: m(sandbox.spinP99) / m(sandbox.aloneP99) - 1, runs: ratios(sandbox.spinP99, sandbox.aloneP99).map((r) => r - 1), target: { op: '<=', bound: 0.2 } },
    metric('memory_cap_hit_mib', sandbox.memoryCapHitMiB),
    // Noise: cores other processes kept busy during the neighbour phases.
    { metric: 'sandbox_other_cores', value: m([...sandbox.otherCoresAlone, ...sandbox.otherCoresBeside]), runs: sandbox.otherCoresAlone.flatMap((a, i) => [a, sandbox.otherCoresBeside[i]]) },
  );
}

if (rss) {
  rows.push(
    { metric: 'rss_per_idle_c_hook_kb', value: rss.c.perHookKb, runs: [rss.c.perHookKb], target: { op: '<=', bound: 1024 } },
    { metric: 'rss_per_idle_js_hook_kb', value: rss.js.perHookKb, runs: [rss.js.perHookKb] },
  );
}

const errors = [
  ...(tp ? [...tp.echo, ...tp.event, ...tp.echoSeq, ...tp.eventSeq].filter((r) => r.errors).map((r) => `${r.errors} errors: ${r.firstError}`) : []),
  ...(cold?.errors ?? []),
  ...(sandbox?.errors ?? []),
  ...(hostCall?.errors ?? []),
  ...(extism?.errors ?? []),
  ...(coldStart?.errors ?? []),
];

const loadAtEnd = load1();
say(`\n== Results${partial ? ` (${SECTIONS.filter(runs).join(', ')} only)` : ''} (median of ${REPS} repetitions, ${COLD_REPS} for transpile/instantiate/register/first event, ${SANDBOX_PLAN.reps} for the neighbour and the memory cap, ${SANDBOX_PLAN.replacements} samples of deadline_to_replaced, ${HOST_CALL_PLAN.reps} host-call, ${DIRECTOR_RTT_PLAN.reps} director-call, ${EXTISM_PLAN.reps} Extism and ${COLD_START_PLAN.reps} cold-start (${COLD_START_PLAN.restartReps} restart) repetitions, one idle-memory run per language (${IDLE_RSS_PLAN.cTenants} C, ${IDLE_RSS_PLAN.jsTenants} JS tenants); ratio = median of the per-repetition ratios; target: issue #5's goal, ✔ met, ✘ not)`);
say(`machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}; 1-minute load average ${loadAtStart} at start, ${loadAtEnd} at end (the bench itself included)`);
say(table(rows));
const targeted = rows.filter((r) => r.target);
if (targeted.length) say(`targets met: ${targeted.filter((r) => met(r.value, r.target!)).length} of ${targeted.length}${targeted.some((r) => !met(r.value, r.target!)) ? ` (✘: ${targeted.filter((r) => !met(r.value, r.target!)).map((r) => r.metric).join(', ')})` : ''}`);
say(`\nper repetition:\n${spreads(rows)}`);
if (errors.length) say(`\nERRORS:\n  ${errors.join('\n  ')}`);

const out = partial
  ? fileURLToPath(new URL(`../tmp/bench-results.${SECTIONS.filter(runs).join('-')}.json`, import.meta.url))
  : fileURLToPath(new URL('./results.json', import.meta.url));
if (partial) mkdirSync(fileURLToPath(new URL('../tmp/', import.meta.url)), { recursive: true });
writeResults(out, {
  date: new Date().toISOString(),
  machine,
  plan: {
    ...PLAN, messageBytes, coldReps: COLD_REPS, hook: hook.name, eventHook: eventHook.name, sandbox: SANDBOX_PLAN, hostCall: HOST_CALL_PLAN,
    directorRtt: DIRECTOR_RTT_PLAN, extism: { ...EXTISM_PLAN, version: extismVersion() }, coldStart: { ...COLD_START_PLAN, hooks: COLD_START_HOOKS }, idleRss: IDLE_RSS_PLAN,
    sections: SECTIONS.filter(runs),
  },
  loadAverage: { start: loadAtStart, end: loadAtEnd },
  metrics: Object.fromEntries(rows.map((r) => [r.metric, r.value])),
  ratios: Object.fromEntries(rows.filter((r) => r.ratio !== undefined).map((r) => [`${r.metric}/${r.baseline!.metric}`, r.ratio])),
  targets: Object.fromEntries(rows.filter((r) => r.target).map((r) => [r.metric, { ...r.target!, value: r.value, met: met(r.value, r.target!) }])),
  runs: { throughput: tp, hostCall, director, extism, coldStart, cold, seeds, sandbox, idleRss: rss },
  errors,
  durationS: +((performance.now() - started) / 1000).toFixed(1),
});
say(`\nwrote ${out} in ${elapsed()}`);
process.exitCode = errors.length ? 1 : 0;
// Everything is closed; if some handle still held the loop, say so rather than hang.
setTimeout(() => { process.stderr.write('bench: a handle kept the process alive; exiting\n'); process.exit(process.exitCode); }, 10_000).unref();
