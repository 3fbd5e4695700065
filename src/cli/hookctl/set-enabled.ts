// hookctl enable / disable: a disabled hook is kept but runs on no event.
// Enabling also lifts a suspension.
import type { Command } from 'commander';
import { withConnection, type ConnectionFlags } from './connection.js';
import { runWithClient } from './action.js';
import { printJson, stateOf } from './output.js';
import { resolveHook } from './resolve-hook.js';

export function setEnabledCommands(program: Command) {
  for (const enabled of [true, false]) {
    const name = enabled ? 'enable' : 'disable';
    withConnection(program.command(name)
      .description(enabled ? 'enable a hook (and lift its suspension, if any)' : 'disable a hook: it is kept, but runs on no event')
      .argument('<hook>', 'the hook\'s id or name')
      .option('--all-tenants', 'look the name up in every tenant (admin credentials)'), 30)
      .addHelpText('after', '\nWith --json: the hook, as `show --json` prints it.')
      .action((hook: string, f: ConnectionFlags & { allTenants?: boolean }) => runWithClient(name, f, 30, async (admin) => {
        const h = await admin.setEnabled((await resolveHook(admin, hook, f.allTenants)).id, enabled);
        if (f.json) printJson(h);
        else process.stdout.write(`${h.name} (id ${h.id}): ${stateOf(h)}\n`);
      }));
  }
}
