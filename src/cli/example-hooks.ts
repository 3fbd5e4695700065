// The example hooks: every folder under examples/ with a build.sh that writes
// <folder>.wasm beside it. Built from source on demand, each with its own
// build script (a child process: the build tools never load into the service).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface ExampleHook {
  name: string;
  /** From the source beside build.sh: hook.ts, hook.c or hook.rs. */
  language: 'TypeScript' | 'C' | 'Rust' | 'unknown';
  dir: string;
  wasm: string;
  build: string;
}

const examplesDir = join(REPO_ROOT, 'examples');

export const EXAMPLES: ExampleHook[] = readdirSync(examplesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(examplesDir, d.name, 'build.sh')))
  .map((d) => ({
    name: d.name,
    language: languageOf(join(examplesDir, d.name)),
    dir: join(examplesDir, d.name),
    wasm: join(examplesDir, d.name, `${d.name}.wasm`),
    build: join(examplesDir, d.name, 'build.sh'),
  }))
  .sort((a, b) => a.name.localeCompare(b.name));

function languageOf(dir: string): ExampleHook['language'] {
  const files = readdirSync(dir);
  if (files.some((f) => f.endsWith('.ts'))) return 'TypeScript';
  if (files.some((f) => f.endsWith('.rs'))) return 'Rust';
  if (files.some((f) => f.endsWith('.c'))) return 'C';
  return 'unknown';
}

export function example(name: string): ExampleHook {
  const e = EXAMPLES.find((x) => x.name === name);
  if (!e) throw new Error(`no example "${name}" under examples/ (have: ${EXAMPLES.map((x) => x.name).join(', ')})`);
  return e;
}

/** Newest modification time of what a hook is built from: its folder and the kits with the WIT. */
function newestSource(dir: string): number {
  let newest = 0;
  const walk = (d: string) => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      if (f.name === 'node_modules' || f.name === 'target' || f.name.endsWith('.wasm')) continue;
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
