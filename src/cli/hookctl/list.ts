// hookctl list: the hooks of your tenant (every tenant's with --all-tenants, admins only).
import type { Command } from 'commander';
import { withConnection, type ConnectionFlags } from './connection.js';
import { runWithClient } from './action.js';
import { bytes, printJson, stateOf, table } from './output.js';

export function listCommand(program: Command) {
  withConnection(program.command('list')
    .description('list hooks: id, name, events, order, failure policy, state, size, generation')
    .option('--all-tenants', 'every tenant\'s hooks (admin credentials)'), 30)
    .addHelpText('after', '\nWith --json: an array of hooks, as `show --json` prints each.')
    .action((f: ConnectionFlags & { allTenants?: boolean }) => runWithClient('list', f, 30, async (admin) => {
      const hooks = await admin.list({ allTenants: f.allTenants });
      if (f.json) return printJson(hooks);
      if (!hooks.length) return void process.stdout.write('no hooks\n');
      process.stdout.write(`${table(
        ['ID', 'NAME', ...(f.allTenants ? ['TENANT'] : []), 'EVENTS', 'ORDER', 'POLICY', 'STATE', 'SIZE', 'GEN'],
        hooks.map((h) => [h.id, h.name, ...(f.allTenants ? [h.tenant] : []), h.events.length === 7 ? 'all' : h.events.join(','),
          h.order, h.failurePolicy, stateOf(h), bytes(h.size), h.generation]),
      )}\n`);
    }));
}
