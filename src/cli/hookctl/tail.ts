// hookctl tail: settled events as they settle, with each hook's outcome and
// report lines, until Ctrl-C (or --count entries).
import type { Command } from 'commander';
import type { TailEntry, TailFilter } from '../../client/admin-client.js';
import { BACULA_EVENT_NAMES } from '../../model/enums.js';
import { withConnection, type ConnectionFlags } from './connection.js';
import { runWithClient } from './action.js';
import { EXIT, UsageError } from './exit-codes.js';
import { ms } from './output.js';
import { parseEvent, parseJobId } from './parse.js';
import { resolveHook } from './resolve-hook.js';

interface Flags extends ConnectionFlags {
  hook?: string;
  event?: string;
  job?: string;
  allTenants?: boolean;
  count?: string;
}

/** One settled event for people: a heading line, then per hook its status, message, writes and report lines. */
export function formatEntry(e: TailEntry): string {
  const o = e.outcome;
  const lines = [`${e.at} ${e.tenant}/${e.director} ${BACULA_EVENT_NAMES[o.type]}${o.jobId ? ` job ${o.jobId}` : ''}` +
    ` (${ms(o.durationMs)}${o.failJob ? ', FAIL JOB' : ''})${e.dropped ? ` [${e.dropped} earlier entries dropped: this reader fell behind]` : ''}`];
  if (!o.hooks.length) lines.push('  no hook ran');
  for (const h of o.hooks) {
    lines.push(`  ${h.hookName}: ${h.status} (${ms(h.durationMs)})`);
    for (const m of h.message ? h.message.split('\n') : []) lines.push(`    ! ${m}`);
    const w = Object.entries(h.writes).map(([k, v]) => `${k}=${v}`);
    if (w.length) lines.push(`    writes ${w.join(' ')}${h.status === 'ok' ? '' : ' (not applied)'}`);
    for (const r of h.report) lines.push(`    | ${r}`);
  }
  return lines.join('\n');
}

export function tailCommand(program: Command) {
  withConnection(program.command('tail')
    .description('follow hook outcomes and report lines live, until Ctrl-C')
    .option('--hook <hook>', 'only events that entered this hook (id or name), and only its outcome')
    .option('--event <event>', 'only this event type (job-start or JobStart, ...)')
    .option('--job <jobid>', 'only this JobId')
    .option('--all-tenants', 'every tenant\'s events (admin credentials)')
    .option('--count <n>', 'stop after n events'), 'none')
    .addHelpText('after', '\nWith --json: one JSON object per line (NDJSON): {tenant, director, at, outcome, dropped}.\n' +
      'A line "following …" goes to stderr once the service follows. Exit: 0 on Ctrl-C or after --count events, 1 refused, 3 no such hook, 4 unreachable or the service went away.')
    .action((f: Flags) => runWithClient('tail', f, 'none', async (admin) => {
      const count = f.count === undefined ? Infinity : Number(f.count);
      if (!(count >= 1) || (count !== Infinity && !Number.isInteger(count))) throw new UsageError(`--count: ${JSON.stringify(f.count)} is not a positive integer`);
      const filter: TailFilter = {
        allTenants: f.allTenants,
        event: f.event !== undefined ? parseEvent('--event', f.event) : undefined,
        jobId: f.job !== undefined ? parseJobId('--job', f.job) : undefined,
        hookId: f.hook !== undefined ? (await resolveHook(admin, f.hook, f.allTenants)).id : undefined,
      };
      let seen = 0;
      let stopped = false;
      const tail = admin.tail(filter, (e) => {
        if (stopped) return;
        process.stdout.write(f.json ? `${JSON.stringify(e)}\n` : `${formatEntry(e)}\n`);
        if (++seen >= count) stop();
      });
      const stop = () => {
        stopped = true;
        tail.cancel();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await tail.following;
      if (!stopped) process.stderr.write(`following ${f.allTenants ? 'every tenant\'s' : 'your tenant\'s'} events on ${f.server} (Ctrl-C to stop)\n`);
      await tail.ended;
      if (stopped) return EXIT.ok;
      process.stderr.write('hookctl tail: the service ended the stream (it is shutting down)\n');
      return EXIT.unreachable;
    }));
}
