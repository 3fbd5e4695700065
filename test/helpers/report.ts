// Reading the conformance hook's report lines (test/conformance/SPEC.md).
import type { EventOutcome } from '../../src/model/outcome.js';

/** The attribute block with this prefix, as attribute -> value. */
export function attributeBlock(report: string[], prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of report) {
    if (!l.startsWith(`${prefix} `)) continue;
    const eq = l.indexOf('=');
    out[l.slice(prefix.length + 1, eq)] = l.slice(eq + 1);
  }
  return out;
}

/** Each hook's attribute block, for an outcome several hooks reported into. */
export function attributeBlocksPerHook(o: EventOutcome, prefix: string): Record<string, string>[] {
  return o.hooks.map((h) => attributeBlock(h.report, prefix));
}
