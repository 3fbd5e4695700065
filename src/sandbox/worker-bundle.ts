// Worker entries run from source are bundled with esbuild into one plain ESM
// file each, so a worker starts without tsx's loader. npm packages stay
// external: the bundle is written under the nearest node_modules above the
// entry (node_modules/.cache/hookd-workers/), where the bare imports resolve as
// they do from the entry itself. Bundled once per entry per process; the file
// is named by the content hash of the bundle, so processes running the same
// source share it and a changed source gets a new file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Set HOOKD_WORKER_BUNDLE=0 to start workers run from source through tsx instead. */
const ENABLED = process.env.HOOKD_WORKER_BUNDLE !== '0';
/** Bundles of the same entry older than this (and not the current one) are removed. */
const PRUNE_AFTER_MS = 24 * 3600_000;

const memo = new Map<string, URL | null>();

/**
 * A plain ESM file equivalent to the .ts entry, or undefined when it cannot be
 * made (the caller then falls back to tsx). Synchronous: the first call per
 * entry runs esbuild (a few tens of ms), later calls are a map lookup.
 */
export function workerBundle(entry: URL): URL | undefined {
  if (!ENABLED) return undefined;
  let out = memo.get(entry.href);
  if (out === undefined) {
    try {
      out = bundle(fileURLToPath(entry));
    } catch (e) {
      out = null;
      process.emitWarning(`worker ${entry.pathname}: cannot bundle it (${(e as Error).message.split('\n')[0]}); starting it through tsx (slower)`);
    }
    memo.set(entry.href, out);
  }
  return out ?? undefined;
}

function bundle(entryPath: string): URL {
  const modules = nearestNodeModules(dirname(entryPath));
  if (!modules) throw new Error('no node_modules directory above it');
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const r = buildSync({
    entryPoints: [entryPath],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const text = r.outputFiles[0].text;
  // The bundle lives elsewhere than its sources: lookups relative to a module's own URL would miss.
  if (/\bimport\.meta\b/.test(text)) throw new Error('its code uses import.meta, which would point at the bundle, not the source');
  const name = basename(entryPath).replace(/\.[cm]?ts$/, '');
  const dir = join(modules, '.cache', 'hookd-workers');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 20);
  const file = join(dir, `${name}-${hash}.mjs`);
  if (existsSync(file)) {
    const now = new Date();
    utimesSync(file, now, now); // in use: not pruned
  } else {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file); // atomic: a concurrent process sees the whole file or none
    prune(dir, name, file);
  }
  return pathToFileURL(file);
}

function nearestNodeModules(from: string): string | undefined {
  for (let d = from; ; d = dirname(d)) {
    const nm = join(d, 'node_modules');
    if (existsSync(nm) && statSync(nm).isDirectory()) return nm;
    if (dirname(d) === d) return undefined;
  }
}

/** Old bundles of the same entry (an earlier source), unused for a day. */
function prune(dir: string, name: string, keep: string) {
  const re = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{20}\\.mjs(\\..*\\.tmp)?$`);
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (p === keep || !re.test(f)) continue;
    try {
      if (Date.now() - statSync(p).mtimeMs > PRUNE_AFTER_MS) rmSync(p, { force: true });
    } catch {
      // another process pruned it first
    }
  }
}
