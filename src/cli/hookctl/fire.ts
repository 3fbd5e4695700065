// hookctl fire: a component on one event, locally, with no director and no
// running service (see ../fire.ts). Exit: 0 the hook ran ok, 1 it failed or
// was not entered, 2 bad usage or input (a refused component included).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EVENT_NAMES, type EventName } from '../../model/enums.js';
import { WASI_GRANTS, type WasiGrant } from '../../components/grants.js';
import type { DirectorAnswers } from '../fire.js';
import { runLocal } from './action.js';
import { EXIT, UsageError } from './exit-codes.js';

interface Flags {
  event?: string;
  job?: string;
  jobJson?: string;
  daemonName?: string;
  answers?: string;
  runJobid?: string;
  cancelOk?: boolean;
  volume?: string[];
  director: boolean;
  grantCatalogPassword?: boolean;
  grant?: string;
  json?: boolean;
}

function readJson(what: string, text: string) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what} is not JSON: ${(e as Error).message}`);
  }
}

function readFile(what: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

export function fireCommand(program: Command) {
  program.command('fire')
    .description('run a component on one event, locally (no director, no running service); prints report lines, accepted writes, the outcome and the director calls')
    .argument('<component.wasm>', 'the hook, a WebAssembly component')
    .option('--event <event>', EVENT_NAMES.join(' | '))
    .option('--job <file>', 'the job as JSON (JobSnapshot fields; default a sample backup job)')
    .option('--job-json <json>', 'the same, inline')
    .option('--daemon-name <name>', 'the director\'s name (default local-dir)')
    .option('--answers <file>', 'the director\'s answers as JSON: {"run": 1234 | {"refuse": "..."}, "cancel": true | {"refuse": "..."}, "volumes": ["Vol-1"], "refuseVolumeLookup": "..."}')
    .option('--run-jobid <n>', 'run returns JobId n')
    .option('--cancel-ok', 'cancel succeeds')
    .option('--volume <name>', 'a volume that exists (repeatable)', (v: string, all: string[] = []) => [...all, v])
    .option('--no-director', 'no director session: director calls fail with no-director-session')
    .option('--grant-catalog-password', 'the hook reads CatalogRes.password')
    .option('--grant <list>', `WASI capabilities, comma-separated: ${WASI_GRANTS.join(', ')} (a hook built with the JS kit's --wasi needs the same)`)
    .option('--json', 'print the whole result as JSON')
    .addHelpText('after', '\nA job event (and JobEnd) is preceded by a JobStart that opens the job.\n' +
      'Exit: 0 the hook ran ok, 1 the hook failed or was not entered, 2 bad usage or input.')
    .action((file: string, v: Flags) => runLocal('fire', false, async () => {
      if (!v.event) throw new UsageError('fire needs --event');
      const job = v.job ? readJson(`--job ${v.job}`, readFile('--job', v.job).toString()) : v.jobJson ? readJson('--job-json', v.jobJson) : undefined;
      let director: DirectorAnswers | null = null;
      if (v.director) {
        director = v.answers ? readJson(`--answers ${v.answers}`, readFile('--answers', v.answers).toString()) : {};
        if (v.runJobid !== undefined) director!.run = Number(v.runJobid);
        if (v.cancelOk) director!.cancel = true;
        if (v.volume?.length) director!.volumes = [...(director!.volumes ?? []), ...v.volume];
      }
      const wasiGrants = (v.grant ?? '').split(',').map((g) => g.trim()).filter(Boolean);
      const unknown = wasiGrants.filter((g) => !(WASI_GRANTS as readonly string[]).includes(g));
      if (unknown.length) throw new UsageError(`--grant: unknown grant ${unknown.join(', ')} (choose from ${WASI_GRANTS.join(', ')})`);
      const component = readFile('component', file);
      const event = v.event as EventName;
      // Loaded here: it brings the whole service, which no other command needs at start.
      const { FireInputError, fire, formatFire } = await import('../fire.js');
      let r;
      try {
        r = await fire({
          component, event, job, director,
          daemon: v.daemonName ? { name: v.daemonName } : undefined,
          grantCatalogPassword: v.grantCatalogPassword,
          wasiGrants: wasiGrants as WasiGrant[],
        });
      } catch (e) {
        // A bad job or a refused component is bad input here: there is no service to blame.
        throw new UsageError(e instanceof FireInputError ? e.message : (e as Error).message);
      }
      process.stdout.write(v.json ? `${JSON.stringify(r, null, 2)}\n` : `${formatFire(r, event)}\n`);
      return r.outcome.hooks[0]?.status === 'ok' ? EXIT.ok : EXIT.failed;
    }));
}
