// The example hooks under examples/, built from source on demand with each
// example's own build script (a child process: the build tools never load
// into the service's process).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface ExampleHook {
  name: string;
  dir: string;
  wasm: string;
  build: string;
}

export const EXAMPLES: ExampleHook[] = [
  { name: 'dir-startup', dir: 'examples/dir-startup', wasm: 'dir-startup.wasm', build: 'build.sh' },
  { name: 'priority-policy', dir: 'examples/priority-policy', wasm: 'priority-policy.wasm', build: 'build.sh' },
].map((e) => ({ ...e, dir: join(REPO_ROOT, e.dir), wasm: join(REPO_ROOT, e.dir, e.wasm), build: join(REPO_ROOT, e.dir, e.build) }));

/** Newest modification time of the sources a hook is built from (its folder and the JS SDK). */
function newestSource(dir: string): number {
  let newest = 0;
  const walk = (d: string) => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      if (f.name === 'node_modules' || f.name.endsWith('.wasm')) continue;
      const p = join(d, f.name);
      if (f.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(dir);
  walk(join(REPO_ROOT, 'hooks-sdk'));
  return newest;
}

/** Builds the example when its .wasm is missing or older than its sources. Returns whether it built. */
export function ensureBuilt(e: ExampleHook): boolean {
  if (existsSync(e.wasm) && statSync(e.wasm).mtimeMs >= newestSource(e.dir)) return false;
  execFileSync('sh', [e.build], { stdio: ['ignore', 'ignore', 'inherit'] });
  return true;
}
