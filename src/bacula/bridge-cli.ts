// bacula-hooks-bridge: the command a Bacula Director's RunScript runs, before
// and after each job, to run the job's hooks in the hook service.
import { parseArgs } from 'node:util';
import { BridgeConfigError, DEFAULT_BRIDGE_CONFIG_PATH, loadBridgeConfig } from './bridge-config.js';
import { runBridge, type RunScriptPoint } from './bridge.js';
import { jobFromRunScript, RUNSCRIPT_FLAGS, RunScriptValueError, type RunScriptValues } from './runscript-job.js';

const HELP = `bacula-hooks-bridge: runs a job's hooks from a Bacula RunScript

Usage: bacula-hooks-bridge before|after [--config FILE] --jobid %i --name %n [substitutions...]

  before   sends JobStart, JobInit and JobRun (each to the hooks that asked for it)
  after    sends JobEnd

  --config FILE   the bridge configuration (YAML or JSON; default $BACULA_HOOKS_BRIDGE_CONFIG,
                  else ${DEFAULT_BRIDGE_CONFIG_PATH})
${Object.entries(RUNSCRIPT_FLAGS).map(([f, code]) => `  --${f.padEnd(14)}${code}`).join('\n')}

Each value goes in one quoted word, e.g. '--status=%e' (a Bacula value may hold spaces).
Prints the hooks' report lines and warnings (Bacula writes them to the job log).
Exit status: 0 the hooks ran, or could not run and the bridge is fail-open;
1 a fail-closed hook failed, or the hooks could not run and the bridge is fail-closed;
2 bad arguments or configuration.
`;

function fail(message: string): never {
  process.stdout.write(`hooks bridge: ${message}\n`);
  process.exit(2);
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        config: { type: 'string' }, help: { type: 'boolean' },
        ...Object.fromEntries(Object.keys(RUNSCRIPT_FLAGS).map((f) => [f, { type: 'string' as const }])),
      },
    });
  } catch (e) {
    fail(`${(e as Error).message} (see --help)`);
  }
  if (parsed.values.help) return void process.stdout.write(HELP);
  const [when, ...extra] = parsed.positionals;
  if (when !== 'before' && when !== 'after') fail(`first argument: before or after, got "${when ?? ''}" (see --help)`);
  if (extra.length) fail(`unexpected argument(s) ${extra.map((a) => `"${a}"`).join(' ')}: give each substitution as one word, e.g. '--status=%e'`);
  const values = parsed.values as RunScriptValues & { config?: string };
  let job;
  let config;
  try {
    job = jobFromRunScript(values);
    config = loadBridgeConfig(values.config ?? process.env.BACULA_HOOKS_BRIDGE_CONFIG ?? DEFAULT_BRIDGE_CONFIG_PATH);
  } catch (e) {
    if (e instanceof RunScriptValueError || e instanceof BridgeConfigError) fail(e.message);
    throw e;
  }
  if (!values.director) fail('--director is required: the Director\'s name (%d)');
  const code = await runBridge({ when: when as RunScriptPoint, director: values.director, job }, config,
    (line) => process.stdout.write(`${line}\n`));
  process.exit(code);
}

await main();
