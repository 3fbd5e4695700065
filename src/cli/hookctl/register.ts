// hookctl register: upload a component and register it as a hook, showing
// the phases (upload, check, transpile, trial instance) as the service reports them.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import type { RegisterOptions, RegisterPhase } from '../../client/admin-client.js';
import { EVENT_NAMES } from '../../model/enums.js';
import { WASI_GRANTS, type WasiGrant } from '../../components/grants.js';
import type { LimitSet } from '../../config.js';
import { withConnection, type ConnectionFlags } from './connection.js';
import { runWithClient } from './action.js';
import { UsageError } from './exit-codes.js';
import { bytes, hookFields, printJson } from './output.js';
import { parseEvents, listOf } from './parse.js';

interface Flags extends ConnectionFlags {
  name?: string;
  events?: string;
  order?: string;
  failurePolicy: 'fail-open' | 'fail-closed';
  deadlineMs?: string;
  memoryMib?: string;
  reportLines?: string;
  reportBytes?: string;
  directorCalls?: string;
  grant?: string[];
  httpAllow?: string[];
  grantCatalogPassword?: boolean;
  progress?: boolean;
}

const LIMIT_FLAGS: [keyof Flags, keyof LimitSet, string][] = [
  ['deadlineMs', 'deadlineMs', '--deadline-ms'], ['memoryMib', 'memoryMiB', '--memory-mib'], ['reportLines', 'reportLines', '--report-lines'],
  ['reportBytes', 'reportBytes', '--report-bytes'], ['directorCalls', 'directorCalls', '--director-calls'],
];

const PHASE_TEXT: Record<RegisterPhase, string> = {
  received: 'received; ', checking: 'checking… ', transpiling: 'transpiling… ', instantiating: 'instantiating… ', storing: 'storing… ',
};

function integer(flag: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag}: ${JSON.stringify(v)} is not an integer ≥ ${min}`);
  return n;
}

function options(file: string, f: Flags): RegisterOptions {
  let component: Uint8Array;
  try {
    component = readFileSync(file);
  } catch (e) {
    throw new UsageError(`cannot read the component ${file}: ${(e as Error).message}`);
  }
  const grants = (f.grant ?? []).flatMap(listOf);
  const unknown = grants.filter((g) => !(WASI_GRANTS as readonly string[]).includes(g));
  if (unknown.length) throw new UsageError(`--grant: unknown grant ${unknown.join(', ')} (choose from ${WASI_GRANTS.join(', ')})`);
  const limits: Partial<LimitSet> = {};
  for (const [flag, key, name] of LIMIT_FLAGS) if (f[flag] !== undefined) limits[key] = integer(name, String(f[flag]), 1);
  return {
    name: f.name ?? basename(file).replace(/\.wasm$/, '').toLowerCase(),
    component,
    events: f.events !== undefined ? parseEvents('--events', f.events) : [],
    order: f.order !== undefined ? integer('--order', f.order, -(2 ** 31)) : 0,
    failurePolicy: f.failurePolicy,
    grantCatalogPassword: !!f.grantCatalogPassword,
    limits,
    wasiGrants: grants as WasiGrant[],
    httpAllowedHosts: (f.httpAllow ?? []).flatMap(listOf),
  };
}

const collect = (v: string, all: string[] = []) => [...all, v];

export function registerCommand(program: Command) {
  withConnection(program.command('register')
    .description('upload a component (.wasm) and register it as a hook of your tenant')
    .argument('<component.wasm>', 'the hook, a WebAssembly component')
    .option('--name <name>', 'hook name, unique in the tenant: [a-z0-9][a-z0-9_.-]{0,62} (default: the file name without .wasm)')
    .option('--events <list>', `events it runs on, comma-separated (default: all): ${EVENT_NAMES.join(', ')}`)
    .option('--order <n>', 'lower runs first among the tenant\'s hooks on an event (default 0; ties in registration order)')
    .addOption(new Option('--failure-policy <policy>', 'fail-closed: a failure of this hook fails the job').choices(['fail-open', 'fail-closed']).default('fail-open'))
    .option('--deadline-ms <n>', 'wall-clock limit per event (default: the tenant\'s)')
    .option('--memory-mib <n>', 'linear memory limit of each core module')
    .option('--report-lines <n>', 'report lines per event')
    .option('--report-bytes <n>', 'report bytes per event')
    .option('--director-calls <n>', 'director calls per event')
    .option('--grant <list>', `WASI capabilities, comma-separated or repeated: ${WASI_GRANTS.join(', ')}`, collect, [])
    .option('--http-allow <host[:port]>', 'an outbound HTTP(S) destination (comma-separated or repeated)', collect)
    .option('--grant-catalog-password', 'the hook reads CatalogRes.password')
    .option('--progress', 'show the upload and preparation phases on stderr (default: when stderr is a terminal)'), 600)
    .addHelpText('after', '\nPrints the registered hook (with --json, the hook as JSON). Exit: 0 registered, 1 refused (the status and why on stderr), 2 bad usage, 4 unreachable.')
    .action((file: string, f: Flags) => runWithClient('register', f, 600, async (admin) => {
      const o = options(file, f);
      const show = !!f.progress || !!process.stderr.isTTY;
      const t0 = performance.now();
      if (show) process.stderr.write(`uploading ${bytes(o.component.length)}… `);
      let hook;
      try {
        hook = await admin.registerWithProgress(o, (phase) => { if (show) process.stderr.write(PHASE_TEXT[phase]); });
      } finally {
        if (show) process.stderr.write(hook ? `registered in ${((performance.now() - t0) / 1000).toFixed(1)} s\n` : 'failed\n');
      }
      if (f.json) printJson(hook);
      else process.stdout.write(`registered ${hook.name} (id ${hook.id})\n${hookFields(hook)}\n`);
    }));
}
