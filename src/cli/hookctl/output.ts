// How hookctl prints: JSON for scripts, plain tables (cli-table3, no colours)
// for people.
import Table from 'cli-table3';
import type { HookInfo } from '../../client/admin-client.js';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

const PLAIN = { head: [] as string[], border: [] as string[] };

/** A table with a header row. */
export function table(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, style: PLAIN });
  t.push(...rows.map((r) => r.map(String)));
  return t.toString();
}

/** A two-column table of labelled values, for one object. */
export function fields(rows: [string, string | number][]): string {
  const t = new Table({ style: PLAIN, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
  t.push(...rows.map(([k, v]) => ({ [k]: String(v) })));
  return t.toString();
}

export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

export const ms = (n: number) => `${n.toFixed(2)} ms`;

/** enabled, disabled, or suspended until when. */
export function stateOf(h: Pick<HookInfo, 'enabled' | 'suspension'>): string {
  if (!h.enabled) return 'disabled';
  if (h.suspension) return `suspended until ${h.suspension.until}`;
  return 'enabled';
}

/** One hook's every field, for show and register. */
export function hookFields(h: HookInfo): string {
  const l = h.limits;
  return fields([
    ['id', h.id], ['name', h.name], ['tenant', h.tenant], ['state', stateOf(h)],
    ...(h.suspension ? [['suspension', `${h.suspension.consecutiveFailures} failures in a row; last: ${h.suspension.reason}`] as [string, string]] : []),
    ['events', h.events.join(', ')], ['order', h.order], ['failure policy', h.failurePolicy],
    ['limits', `deadline ${l.deadlineMs} ms, memory ${l.memoryMiB} MiB, report ${l.reportLines} lines / ${l.reportBytes} bytes, ${l.directorCalls} director calls`],
    ['grants', [...(h.wasiGrants ?? []), ...(h.grantCatalogPassword ? ['catalog-password'] : [])].join(', ') || 'none'],
    ['http allowed', (h.httpAllowedHosts ?? []).join(', ') || 'none'],
    ['component', `${bytes(h.size)}, sha256 ${h.sha256}`], ['imports', h.imports.join('\n')],
    ['generation', h.generation], ['created', h.createdAt],
  ]);
}
