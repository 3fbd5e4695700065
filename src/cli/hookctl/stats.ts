// hookctl stats: per hook, events by outcome and run-time percentiles since
// the service started; events in flight per tenant.
import type { Command } from 'commander';
import { withConnection, type ConnectionFlags } from './connection.js';
import { runWithClient } from './action.js';
import { printJson, stateOf, table } from './output.js';
import { resolveHook } from './resolve-hook.js';

export function statsCommand(program: Command) {
  withConnection(program.command('stats')
    .description('per hook: events, ok / failed / timed-out / skipped, p50 / p99 run time, state; events in flight per tenant')
    .argument('[hook]', 'one hook (id or name); default: every hook of your tenant')
    .option('--all-tenants', 'every tenant\'s hooks (admin credentials)'), 30)
    .addHelpText('after', '\nCounters are kept in memory since the service started (`since`); percentiles are over each hook\'s\n' +
      'latest runs (at most latencyWindow), skipped events excluded. With --json: {since, latencyWindow, hooks, tenants}.')
    .action((hook: string | undefined, f: ConnectionFlags & { allTenants?: boolean }) => runWithClient('stats', f, 30, async (admin) => {
      const hookId = hook ? (await resolveHook(admin, hook, f.allTenants)).id : undefined;
      const s = await admin.stats({ allTenants: f.allTenants && !hookId, hookId });
      if (f.json) return printJson(s);
      const p = (n: number, samples: number) => (samples ? n.toFixed(2) : '-');
      process.stdout.write(`since ${s.since} (percentiles over at most the latest ${s.latencyWindow} runs)\n`);
      process.stdout.write(`${table(
        ['HOOK', 'TENANT', 'EVENTS', 'OK', 'FAILED', 'TIMED OUT', 'SKIPPED', 'P50 MS', 'P99 MS', 'STATE'],
        s.hooks.map((h) => [h.hookName, h.tenant, h.events, h.ok, h.failed, h.timedOut, h.skipped,
          p(h.p50Ms, h.latencySamples), p(h.p99Ms, h.latencySamples), stateOf(h)]),
      )}\n`);
      process.stdout.write(`${table(['TENANT', 'EVENTS IN FLIGHT'], s.tenants.map((t) => [t.tenant, t.eventsInFlight]))}\n`);
    }));
}
