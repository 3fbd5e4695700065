// hookctl remove: unregister a hook (its component goes when no hook uses it).
import type { Command } from 'commander';
import { withConnection, type ConnectionFlags } from './connection.js';
import { runWithClient } from './action.js';
import { printJson } from './output.js';
import { resolveHook } from './resolve-hook.js';

export function removeCommand(program: Command) {
  withConnection(program.command('remove')
    .description('remove a hook: its events stop at once; events in flight finish')
    .argument('<hook>', 'the hook\'s id or name')
    .option('--all-tenants', 'look the name up in every tenant (admin credentials)'), 30)
    .addHelpText('after', '\nWith --json: {"removed": {"id", "name", "tenant"}}.')
    .action((hook: string, f: ConnectionFlags & { allTenants?: boolean }) => runWithClient('remove', f, 30, async (admin) => {
      const h = await resolveHook(admin, hook, f.allTenants);
      await admin.remove(h.id);
      if (f.json) printJson({ removed: { id: h.id, name: h.name, tenant: h.tenant } });
      else process.stdout.write(`removed ${h.name} (id ${h.id})\n`);
    }));
}
