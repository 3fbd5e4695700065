// hookctl: the command-line tool for hook authors and operators.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EVENT_NAMES, type EventName } from '../model/enums.js';
import { FireInputError, fire, formatFire, type DirectorAnswers } from './fire.js';
import { WASI_GRANTS, type WasiGrant } from '../components/grants.js';

const HELP = `hookctl: work with bacula hooks

Commands:
  fire <component.wasm> --event EVENT [options]
      Runs the component on one event, locally, without a director or a running
      service, and prints the report lines, the accepted writes, the outcome and
      the director calls it made. A job event (and JobEnd) is preceded by a JobStart.

      --event EVENT        ${EVENT_NAMES.join(' | ')}
      --job FILE           the job as JSON (JobSnapshot fields; default a sample backup job)
      --job-json JSON      the same, inline
      --daemon-name NAME   the director's name (default local-dir)
      --answers FILE       the director's answers as JSON:
                           {"run": 1234 | {"refuse": "..."}, "cancel": true | {"refuse": "..."},
                            "volumes": ["Vol-1"], "refuseVolumeLookup": "..."}
      --run-jobid N        run returns JobId N
      --cancel-ok          cancel succeeds
      --volume NAME        a volume that exists (repeatable)
      --no-director        no director session: director calls fail with no-director-session
      --grant-catalog-password
      --grant LIST         WASI capabilities to grant, comma-separated: ${WASI_GRANTS.join(', ')}
                           (a hook built with the JS kit's --wasi needs the same grants)
      --json               print the result as JSON

      Exit status: 0 the hook ran ok, 1 the hook failed or was not entered, 2 bad usage or input.

  new-token --tenant NAME [--admin] [--json]
      Prints a fresh random bearer token (32 bytes, base64url) for a tenant and
      the entry to add to hookd's --tokens file: the tenant, the token's sha256
      and, with --admin, "admin": true (admin calls see and change every
      tenant's hooks). The service stores only the sha256: give the token to
      the tenant's director and keep no other copy. With --json, prints
      {"token", "entry"} as one JSON object.
`;

function usage(message: string): never {
  process.stderr.write(`hookctl: ${message}\n\n${HELP}`);
  process.exit(2);
}

async function fireCommand(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        event: { type: 'string' }, job: { type: 'string' }, 'job-json': { type: 'string' }, 'daemon-name': { type: 'string' },
        answers: { type: 'string' }, 'run-jobid': { type: 'string' }, 'cancel-ok': { type: 'boolean' },
        volume: { type: 'string', multiple: true }, 'no-director': { type: 'boolean' },
        'grant-catalog-password': { type: 'boolean' }, grant: { type: 'string' }, json: { type: 'boolean' },
      },
    });
  } catch (e) {
    usage((e as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) usage('fire takes one component file');
  if (!v.event) usage('fire needs --event');
  const readJson = (what: string, text: string) => {
    try {
      return JSON.parse(text);
    } catch (e) {
      return usage(`${what} is not JSON: ${(e as Error).message}`);
    }
  };
  const readFile = (what: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (e) {
      return usage(`cannot read ${what} ${path}: ${(e as Error).message}`);
    }
  };
  const job = v.job ? readJson(`--job ${v.job}`, readFile('--job', v.job).toString()) : v['job-json'] ? readJson('--job-json', v['job-json']) : undefined;
  let director: DirectorAnswers | null = null;
  if (!v['no-director']) {
    director = v.answers ? readJson(`--answers ${v.answers}`, readFile('--answers', v.answers).toString()) : {};
    if (v['run-jobid'] !== undefined) director!.run = Number(v['run-jobid']);
    if (v['cancel-ok']) director!.cancel = true;
    if (v.volume) director!.volumes = [...(director!.volumes ?? []), ...v.volume];
  }
  const wasiGrants = (v.grant ?? '').split(',').map((g) => g.trim()).filter(Boolean);
  const unknown = wasiGrants.filter((g) => !(WASI_GRANTS as readonly string[]).includes(g));
  if (unknown.length) usage(`--grant: unknown grant ${unknown.join(', ')} (choose from ${WASI_GRANTS.join(', ')})`);
  const component = readFile('component', positionals[0]);
  const event = v.event as EventName;
  try {
    const r = await fire({
      component, event, job, director,
      daemon: v['daemon-name'] ? { name: v['daemon-name'] } : undefined,
      grantCatalogPassword: v['grant-catalog-password'],
      wasiGrants: wasiGrants as WasiGrant[],
    });
    process.stdout.write(v.json ? `${JSON.stringify(r, null, 2)}\n` : `${formatFire(r, event)}\n`);
    process.exitCode = r.outcome.hooks[0]?.status === 'ok' ? 0 : 1;
  } catch (e) {
    if (e instanceof FireInputError) usage(e.message);
    process.stderr.write(`hookctl fire: ${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}

function newTokenCommand(argv: string[]) {
  let v;
  try {
    v = parseArgs({ args: argv, options: { tenant: { type: 'string' }, admin: { type: 'boolean' }, json: { type: 'boolean' } } }).values;
  } catch (e) {
    usage((e as Error).message);
  }
  if (!v.tenant) usage('new-token needs --tenant NAME');
  const token = randomBytes(32).toString('base64url');
  const entry = { tenant: v.tenant, sha256: createHash('sha256').update(token).digest('hex'), ...(v.admin ? { admin: true } : {}) };
  if (v.json) return void process.stdout.write(`${JSON.stringify({ token, entry })}\n`);
  process.stdout.write(`token (give it to the director of tenant "${v.tenant}"; it is not stored anywhere):\n  ${token}\n\n` +
    `entry to add to the --tokens file of hookd:\n  ${JSON.stringify(entry)}\n`);
}

const [command, ...rest] = process.argv.slice(2);
if (!command || command === '--help' || command === 'help') process.stdout.write(HELP);
else if (command === 'fire') await fireCommand(rest);
else if (command === 'new-token') newTokenCommand(rest);
else usage(`unknown command "${command}"`);
