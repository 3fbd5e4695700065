// zod's findings about one configuration layer, as sentences an operator can
// act on: where (the file, or the variable or flag), which key, what was
// expected, what was found, and for an unknown key the nearest known one.
import type { z } from 'zod';
import { knownKeys, schemaAt } from './schema.js';

/** Describes where a key was set: a file gives "file: key" ("file" for its top level), the environment "HOOKD_X (key)". */
export type KeyLabel = (keyPath: string) => string;

export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown, label: KeyLabel): string[] {
  return issues.flatMap((iss) => {
    const at = iss.path.map(String);
    if (iss.code === 'unrecognized_keys') {
      const known = knownKeys(schemaAt(iss.path));
      return iss.keys.map((k) => {
        const near = nearest(k, known);
        return `${label(at.join('.'))}: unknown key "${k}"${near ? ` (did you mean "${near}"?)` : known.length ? ` (known here: ${known.join(', ')})` : ''}`;
      });
    }
    const value = valueAt(input, iss.path);
    return [`${label(at.join('.'))}: expected ${iss.message}, got ${show(value)}`];
  });
}

function valueAt(input: unknown, keys: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of keys) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

const show = (v: unknown) => (v === undefined ? 'nothing' : v === null ? 'null (an empty value)' : JSON.stringify(v));

/** The known word closest to a typo, when it is close enough to be what was meant. */
export function nearest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
