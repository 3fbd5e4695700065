// Report output per hook per event: lines and bytes up to the hook's limits;
// the rest is dropped and one marker line says how much.
import type { Invocation } from './invocation.js';

export function addReportLines(inv: Invocation, lines: string[]) {
  for (const line of lines) {
    const bytes = Buffer.byteLength(line) + 1;
    if (inv.report.length >= inv.limits.reportLines || inv.usage.reportBytes + bytes > inv.limits.reportBytes) {
      inv.usage.droppedLines++;
      continue;
    }
    inv.usage.reportBytes += bytes;
    inv.report.push(line);
  }
}

/** The event's report lines, with the marker when some were dropped. */
export function finishReport(inv: Invocation): string[] {
  if (!inv.usage.droppedLines) return inv.report;
  return [...inv.report, `[report truncated: ${inv.usage.droppedLines} more line(s) dropped; the limit is ${inv.limits.reportLines} lines and ${inv.limits.reportBytes} bytes per event]`];
}
