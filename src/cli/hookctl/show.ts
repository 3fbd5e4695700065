// hookctl show: one hook, every field.
import type { Command } from 'commander';
import { withConnection, type ConnectionFlags } from './connection.js';
import { runWithClient } from './action.js';
import { hookFields, printJson } from './output.js';
import { resolveHook } from './resolve-hook.js';

export function showCommand(program: Command) {
  withConnection(program.command('show')
    .description('show one hook: settings, effective limits, grants, imports, suspension')
    .argument('<hook>', 'the hook\'s id or name')
    .option('--all-tenants', 'look the name up in every tenant (admin credentials)'), 30)
    .action((hook: string, f: ConnectionFlags & { allTenants?: boolean }) => runWithClient('show', f, 30, async (admin) => {
      const h = await resolveHook(admin, hook, f.allTenants);
      if (f.json) printJson(h);
      else process.stdout.write(`${hookFields(h)}\n`);
    }));
}
