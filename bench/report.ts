// The printed table and bench/results.json.
import { writeFileSync } from 'node:fs';

export interface Row {
  metric: string;
  value: number;
  baseline?: { metric: string; value: number };
  /** value / baseline, as the median of the per-repetition ratios. */
  ratio?: number;
  /** Each repetition's value, for the spread. */
  runs?: number[];
  /** A goal from issue #5 (never a timed test): value <= or >= bound. */
  target?: Target;
}

export interface Target {
  op: '<=' | '>=';
  bound: number;
  /** How the bound was set, when it is derived from another metric: "1.5 × grpc_bidi_ping_ms". */
  of?: string;
}

export const met = (value: number, t: Target) => (t.op === '<=' ? value <= t.bound : value >= t.bound);

export function targetText(value: number, t: Target): string {
  return `${t.op === '<=' ? '≤' : '≥'} ${t.of ? `${t.of} = ${num(t.bound)}` : num(t.bound)} ${met(value, t) ? '✔' : '✘'}`;
}

const num = (v: number) => (!Number.isFinite(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

export function table(rows: Row[]): string {
  const cells = rows.map((r) => [
    r.metric,
    num(r.value),
    r.baseline ? `${num(r.baseline.value)} (${r.baseline.metric})` : '',
    r.ratio !== undefined ? `${r.ratio.toFixed(2)}x` : '',
    r.target ? targetText(r.value, r.target) : '',
  ]);
  const head = ['metric', 'value', 'baseline', 'ratio', 'target'];
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((s, i) => (i === 0 || i === 2 || i === 4 ? s.padEnd(w[i]) : s.padStart(w[i]))).join(' | ')} |`;
  return [line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

export function spreads(rows: Row[]): string {
  return rows.filter((r) => r.runs?.length)
    .map((r) => `  ${r.metric.padEnd(24)} ${r.runs!.map(num).join('  ')}`)
    .join('\n');
}

export function writeResults(path: string, data: object) {
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}
