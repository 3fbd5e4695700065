// hookctl reload: Bacula's "python restart": hooks re-instantiated from their
// stored components, suspensions lifted.
import type { Command } from 'commander';
import { withConnection, type ConnectionFlags } from './connection.js';
import { runWithClient } from './action.js';
import { printJson, table } from './output.js';
import { resolveHook } from './resolve-hook.js';

export function reloadCommand(program: Command) {
  withConnection(program.command('reload')
    .description('reload one hook, or every hook of your tenant: a fresh instance (a new generation); events in flight finish on the old one')
    .argument('[hook]', 'the hook\'s id or name (default: every hook of your tenant)')
    .option('--all-tenants', 'look the name up in every tenant (admin credentials)'), 120)
    .addHelpText('after', '\nWith --json: an array of the reloaded hooks.')
    .action((hook: string | undefined, f: ConnectionFlags & { allTenants?: boolean }) => runWithClient('reload', f, 120, async (admin) => {
      const hooks = await admin.reload(hook ? (await resolveHook(admin, hook, f.allTenants)).id : undefined);
      if (f.json) return printJson(hooks);
      if (!hooks.length) return void process.stdout.write('no hooks to reload\n');
      process.stdout.write(`reloaded\n${table(['ID', 'NAME', 'GEN'], hooks.map((h) => [h.id, h.name, h.generation]))}\n`);
    }));
}
