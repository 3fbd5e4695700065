// hookctl: the command-line tool for hook authors and operators. Each command
// is one file under hookctl/; this entry assembles them and owns the exit
// status of usage errors (2) and --help (0). The statuses: hookctl/exit-codes.ts.
import { Command, CommanderError } from 'commander';
import { EXIT } from './hookctl/exit-codes.js';
import { registerCommand } from './hookctl/register.js';
import { listCommand } from './hookctl/list.js';
import { showCommand } from './hookctl/show.js';
import { removeCommand } from './hookctl/remove.js';
import { setEnabledCommands } from './hookctl/set-enabled.js';
import { reloadCommand } from './hookctl/reload.js';
import { tailCommand } from './hookctl/tail.js';
import { statsCommand } from './hookctl/stats.js';
import { fireCommand } from './hookctl/fire.js';
import { newTokenCommand } from './hookctl/new-token.js';

const program = new Command('hookctl')
  .description('work with bacula hooks: register and operate them on a running service (over its admin gRPC API), fire one locally')
  .addHelpText('after', '\nService commands take --server (HOOKCTL_SERVER, default 127.0.0.1:50051), --token (HOOKCTL_TOKEN) or --token-file,\n' +
    '--tls-ca [--tls-cert --tls-key], --timeout and --json. Exit status: 0 ok, 1 the service refused or failed the operation\n' +
    '(the gRPC status code name and message on stderr), 2 bad usage or input, 3 no such hook, 4 the service is unreachable.\n' +
    'docs/hookctl.md has every command, flag and JSON shape.')
  .exitOverride()
  .showHelpAfterError('(add --help for usage)');

for (const add of [registerCommand, listCommand, showCommand, removeCommand, setEnabledCommands, reloadCommand, tailCommand, statsCommand, fireCommand, newTokenCommand]) {
  add(program);
}

try {
  await program.parseAsync();
} catch (e) {
  if (!(e instanceof CommanderError)) throw e;
  // Help asked for is a success; any other parse error is bad usage.
  process.exitCode = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.ok : EXIT.usage;
}
