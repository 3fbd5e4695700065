// hookctl new-token: a fresh bearer token for a tenant and hookd's entry for it (local, no service).
import { createHash, randomBytes } from 'node:crypto';
import type { Command } from 'commander';

export function newTokenCommand(program: Command) {
  program.command('new-token')
    .description('print a fresh random bearer token (32 bytes, base64url) and the entry to add to hookd\'s --tokens file')
    .requiredOption('--tenant <name>', 'the tenant the token names')
    .option('--admin', 'an operator\'s token: admin calls see and change every tenant\'s hooks')
    .option('--json', 'print {"token", "entry"} as one JSON object')
    .addHelpText('after', '\nThe service stores only the sha256: give the token to the tenant\'s director and keep no other copy.')
    .action((f: { tenant: string; admin?: boolean; json?: boolean }) => {
      const token = randomBytes(32).toString('base64url');
      const entry = { tenant: f.tenant, sha256: createHash('sha256').update(token).digest('hex'), ...(f.admin ? { admin: true } : {}) };
      if (f.json) return void process.stdout.write(`${JSON.stringify({ token, entry })}\n`);
      process.stdout.write(`token (give it to the director of tenant "${f.tenant}"; it is not stored anywhere):\n  ${token}\n\n` +
        `entry to add to the --tokens file of hookd:\n  ${JSON.stringify(entry)}\n`);
    });
}
