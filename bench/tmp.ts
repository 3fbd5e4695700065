// Temporary directories of the bench, removed when done or when interrupted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();

export function tempDir(what: string): string {
  const d = mkdtempSync(join(tmpdir(), `hooks-bench-${what}-`));
  live.add(d);
  return d;
}

export function removeTempDir(d: string) {
  rmSync(d, { recursive: true, force: true });
  live.delete(d);
}

export function removeAllTempDirs() {
  for (const d of [...live]) removeTempDir(d);
}
