// The demo: builds the example hooks, starts the service on the embedded
// store, registers the hooks, and drives one backup job's whole life through
// a demo director, printing each event's outcome, the job report and the effects.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHookService } from '../server/hook-service.js';
import { AdminClient } from '../client/admin-client.js';
import { DirectorSessionClient } from '../client/director-client.js';
import type { JobSnapshot } from '../model/job.js';
import { sampleBackupJob } from '../model/sample-job.js';
import { BACULA_EVENT_NAMES, type EventName } from '../model/enums.js';
import type { EventOutcome } from '../model/outcome.js';
import { REPO_ROOT, ensureBuilt, example } from './example-hooks.js';

const { values: args } = parseArgs({ options: { listen: { type: 'string' }, 'data-dir': { type: 'string' }, serve: { type: 'boolean' } } });
const say = (s = '') => process.stdout.write(`${s}\n`);
const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;

/** The hooks the demo registers, in run order: the seed's script and a policy in TypeScript, one in C, one in Rust. */
const DEMO_HOOKS = ['dir-startup', 'priority-policy', 'c-failure-notifier', 'rust-job-chaining'].map(example);

say('== Building the example hooks from source');
for (const e of DEMO_HOOKS) {
  const t0 = performance.now();
  const built = ensureBuilt(e);
  const size = readFileSync(e.wasm).length;
  const sized = size >= 1e6 ? `${(size / 1e6).toFixed(1)} MB` : `${(size / 1e3).toFixed(0)} kB`;
  say(`  ${e.name.padEnd(19)} ${e.language.padEnd(10)} ${built ? `built in ${ms(t0)}` : 'up to date'}, ${sized}`);
}

// The demo director runs on this host: plaintext without credentials, one local tenant.
const svc = await startHookService({ listen: args.listen ?? '127.0.0.1:0', dataDir: args['data-dir'] ?? join(REPO_ROOT, '.hooks-data'), auth: { unauthenticatedTenant: 'demo' } });
say(`\n== Hook service listening on ${svc.address} (embedded store ${svc.config.dataDir}, ${svc.config.workersPerTenant} worker thread(s) per tenant)`);

const admin = new AdminClient(svc.address);
say('\n== Registering the hooks over the admin API');
for (const [i, e] of DEMO_HOOKS.entries()) {
  const bytes = readFileSync(e.wasm);
  const old = (await admin.list()).find((h) => h.name === e.name);
  if (old) await admin.remove(old.id);
  const t0 = performance.now();
  const h = await admin.register({ name: e.name, component: bytes, order: i });
  say(`  ${h.name.padEnd(19)} id ${h.id}  sha256 ${h.sha256.slice(0, 12)}…  events ${h.events.join(' ')}  (${ms(t0)}: checked, transpiled, instantiated once)`);
}

// The demo director: a catalog with two volumes, and job ids that count up.
const volumes = new Set(['TestA-1', 'TestA-2']);
const calls: string[] = [];
let nextJobId = 2;
const director = await DirectorSessionClient.open(svc.address, {
  daemon: { name: 'demo-dir', version: '9.6.7 (10 December 2020)', configFile: '/etc/bacula/bacula-dir.conf', workingDir: '/var/lib/bacula' },
  handlers: {
    doesVolumeExist: (name) => { calls.push(`DoesVolumeExist(${name}) -> ${volumes.has(name)}`); return volumes.has(name); },
    run: (cmd) => { calls.push(`run("${cmd}") -> JobId ${nextJobId}`); return nextJobId++; },
    cancel: (id) => { calls.push(`cancel(${id})`); },
  },
});

// An Incremental whose last backup is nine days old: the priority policy raises it to Differential.
const job: JobSnapshot = sampleBackupJob(1, { client: 'demo-fd', pool: 'File', schedTime: 1_764_000_000, sinceTime: 1_764_000_000 - 9 * 86_400 });
say(`\n== Director "demo-dir" runs JobId ${job.jobId} ${job.jobName} (${job.jobType}, ${job.level}, client ${job.client})`);

const report: string[] = [];
const effects: string[] = [];
const send = async (type: EventName, patch: Partial<JobSnapshot> = {}) => {
  Object.assign(job, patch);
  const o: EventOutcome = await director.send({ type, job });
  report.push(...o.report);
  const hooks = o.hooks.map((h) => `${h.hookName} ${h.status}${h.message ? `: ${h.message}` : ''} (${h.durationMs.toFixed(1)} ms)`).join(', ') || 'no hook subscribed';
  say(`  ${BACULA_EVENT_NAMES[type].padEnd(13)} ${hooks}`);
  for (const h of o.hooks) if (h.subscription) {
    const subs = Object.entries(h.subscription).filter(([, v]) => v).map(([k]) => k).join(' ');
    say(`  ${''.padEnd(13)} ${h.hookName} subscribed to: ${subs || 'nothing'}`);
  }
  if (o.writes.priority !== undefined) { job.priority = o.writes.priority; effects.push(`${BACULA_EVENT_NAMES[type]}: Priority = ${o.writes.priority}`); }
  if (o.writes.level !== undefined) { job.level = o.writes.level; effects.push(`${BACULA_EVENT_NAMES[type]}: Level = ${o.writes.level}`); }
  if (o.writes.volumeName !== undefined) { effects.push(`${BACULA_EVENT_NAMES[type]}: VolumeName = ${o.writes.volumeName}`); volumes.add(o.writes.volumeName); }
  return o;
};

await send('job-start');
await send('job-init');
await send('job-run', { status: 'running' });
await send('new-volume');
await send('volume-purged', { volumeName: 'TestA-1' });
await send('job-end', { status: 'terminated', jobFiles: 1342, jobBytes: 73_400_320, readBytes: 73_400_320, fdJobStatus: 'terminated', sdJobStatus: 'terminated' });
await send('exit');

say('\n== Job report (the hooks\' report lines, in order)');
for (const l of report) say(`  ${l}`);
say('\n== Effects the director applies');
for (const e of effects) say(`  ${e}`);
say('\n== Director calls the hooks made');
for (const c of calls) say(`  ${c}`);

await director.close();
admin.close();
if (args.serve) {
  say(`\nThe service keeps running on ${svc.address}; Ctrl-C stops it.`);
  process.once('SIGINT', () => void svc.close().then(() => process.exit(0)));
} else {
  await svc.close();
  say('\nDone. `npm start` runs the service alone; see README.md to write your own hook.');
}
