#!/usr/bin/env node
// Builds a JS/TS hook into a WebAssembly component of the bacula:hooks `hook` world.
//
//   node hooks-sdk/js/build-hook.mjs <entry.ts|entry.js> -o <out.wasm> [--wasi stdio,clocks,random]
//
// or, from a script or test:
//
//   import { buildHook } from './hooks-sdk/js/build-hook.mjs';
//   const { bytes, ms } = await buildHook('hook.ts', 'hook.wasm', { wasi: ['stdio'] });
//
// Steps: (1) esbuild bundles the entry and everything it imports (the SDK's
// index.ts included) into one ES module, leaving only the WIT imports
// 'bacula:hooks/*' external; (2) componentize-js compiles that module against
// hooks-sdk/wit (world `hook`) with every WASI feature disabled but those
// asked for with --wasi, so the component imports nothing but the hook world
// (and those WASI interfaces, which the hook's registration must grant);
// (3) the .wasm is written.
//
// This is a build-time tool. It is never loaded by the service.

import { mkdtemp, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, parse, resolve, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

// componentize-js reads the WIT folder through preview2-shim, which (in this
// version) has NO preopened directories: "failed to get path metadata (os
// error 44)". Preopen the host root for this build process only, before any
// componentize-js / jco call.
import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';
_setPreopens({ '/': '/' });

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');
export const WIT_PATH = join(REPO_ROOT, 'hooks-sdk', 'wit');
export const WORLD_NAME = 'hook';
/** The world of a hook that imports bacula:hooks/http: the hook world plus outbound HTTP (needs a grant). */
export const HTTP_WORLD_NAME = 'hook-http';
/** All of them: by default a hook gets no stdio, randomness, clocks or network. */
export const DISABLED_FEATURES = ['stdio', 'random', 'clocks', 'http', 'fetch-event'];
/**
 * The WASI features a hook may ask for, each needing the grant of the same name at
 * registration: stdio (console.log/console.error into the job report), clocks
 * (a live Date.now() and performance.now()), random (Math.random and
 * crypto.getRandomValues from the host). Without them, componentize-js freezes
 * Date.now() at build time and seeds Math.random deterministically.
 */
export const WASI_FEATURES = ['stdio', 'clocks', 'random'];

/** An error with a message meant for the hook author (no stack needed). */
export class BuildError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'BuildError';
  }
}

/**
 * Builds `entry` into a component and writes it to `outFile`.
 *
 * @param {string} entry  path of the hook module (.ts or .js)
 * @param {string} outFile path of the .wasm to write (folders are created)
 * @param {{ wasi?: string[] }} [options] WASI features to enable (WASI_FEATURES)
 * @returns {Promise<{ outFile: string, bytes: number, ms: number, imports: unknown }>}
 * @throws {BuildError} on a missing entry, a bundling error or a componentize error
 */
export async function buildHook(entry, outFile, options = {}) {
  const t0 = performance.now();
  if (!entry) throw new BuildError('no entry file given');
  const wasi = options.wasi ?? [];
  const unknown = wasi.filter((f) => !WASI_FEATURES.includes(f));
  if (unknown.length) throw new BuildError(`unknown WASI feature(s) ${unknown.join(', ')}: choose from ${WASI_FEATURES.join(', ')}`);
  if (!outFile) throw new BuildError('no output file given (-o <out.wasm>)');
  const entryPath = resolve(entry);
  const outPath = resolve(outFile);

  const st = await stat(entryPath).catch(() => null);
  if (!st || !st.isFile()) throw new BuildError(`entry file not found: ${entry}`);

  const tmp = await mkdtemp(join(tmpdir(), 'bacula-hook-build-'));
  try {
    // (1) Bundle.
    const bundlePath = join(tmp, 'hook.js');
    const { build } = await import('esbuild');
    let result;
    try {
      result = await build({
        entryPoints: [entryPath],
        outfile: bundlePath,
        bundle: true,
        format: 'esm',
        platform: 'neutral',
        target: 'es2022',
        external: ['bacula:hooks/*'],
        write: true,
        logLevel: 'silent',
        legalComments: 'none',
        // platform 'neutral' leaves Node built-ins unresolved, so a stray
        // `import 'node:fs'` fails here rather than in the component; the
        // main fields let plain npm packages be bundled in.
        mainFields: ['module', 'main'],
      });
    } catch (e) {
      throw new BuildError(`bundling ${entry} failed:\n${formatEsbuildErrors(e)}`, { cause: e });
    }
    for (const w of result.warnings ?? []) {
      console.error(`warning: ${formatMessage(w)}`);
    }

    // (2) Componentize, against the world the hook needs: componentize-js
    // imports every interface of its world, and a hook should import http
    // (which needs a grant at registration) only when it uses it.
    const { readFile } = await import('node:fs/promises');
    const usesHttp = /["']bacula:hooks\/http@/.test(await readFile(bundlePath, 'utf8'));
    const { componentize } = await import('@bytecodealliance/componentize-js');
    let out;
    try {
      out = await outsideRootDir(tmp, () =>
        componentize({
          sourcePath: bundlePath,
          witPath: WIT_PATH,
          worldName: usesHttp ? HTTP_WORLD_NAME : WORLD_NAME,
          disableFeatures: DISABLED_FEATURES.filter((f) => !wasi.includes(f)),
        }),
      );
    } catch (e) {
      if (e instanceof BuildError) throw e;
      throw new BuildError(`componentize ${entry} failed:\n${e?.message ?? e}`, { cause: e });
    }

    // (3) Write.
    await mkdir(dirname(outPath), { recursive: true });
    await writeFile(outPath, out.component);
    return {
      outFile: outPath,
      bytes: out.component.byteLength,
      ms: Math.round(performance.now() - t0),
      imports: out.imports,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * componentize-js 0.23 strips `cwd + '/'` from a source path under the
 * current directory; when cwd is the root ('/') that cuts one character too
 * many ('Error loading module "mp/…/hook.js"'). Only in that case, run it
 * from `dir` and restore the cwd afterwards.
 */
async function outsideRootDir(dir, fn) {
  const cwd = process.cwd();
  if (cwd !== parse(cwd).root) return fn();
  try {
    process.chdir(dir);
  } catch (e) {
    throw new BuildError(
      `cannot build from the root directory here (${e?.message ?? e}); run from another directory`,
    );
  }
  try {
    return await fn();
  } finally {
    process.chdir(cwd);
  }
}

function formatMessage(m) {
  const loc = m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : '';
  return `${loc}${m.text}`;
}

function formatEsbuildErrors(e) {
  if (Array.isArray(e?.errors) && e.errors.length > 0) {
    return e.errors.map((m) => `  ${formatMessage(m)}`).join('\n');
  }
  return `  ${e?.message ?? e}`;
}

function usage() {
  return 'usage: node hooks-sdk/js/build-hook.mjs <entry.ts|entry.js> -o <out.wasm> [--wasi stdio,clocks,random]\n' +
    '  --wasi  WASI features to enable; the hook then needs the grants of the same names at registration';
}

function parseArgs(argv) {
  let entry;
  let out;
  let wasi = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-o' || a === '--out') {
      out = argv[++i];
      if (!out) throw new BuildError(`${a} needs a value\n${usage()}`);
    } else if (a === '--wasi' || a.startsWith('--wasi=')) {
      const v = a === '--wasi' ? argv[++i] : a.slice('--wasi='.length);
      if (!v) throw new BuildError(`--wasi needs a value\n${usage()}`);
      wasi = v.split(',').map((s) => s.trim()).filter(Boolean);
    } else if (a.startsWith('--out=')) {
      out = a.slice('--out='.length);
    } else if (a === '-h' || a === '--help') {
      console.log(usage());
      process.exit(0);
    } else if (a.startsWith('-')) {
      throw new BuildError(`unknown option ${a}\n${usage()}`);
    } else if (entry === undefined) {
      entry = a;
    } else {
      throw new BuildError(`more than one entry file given (${entry}, ${a})\n${usage()}`);
    }
  }
  if (!entry || !out) throw new BuildError(usage());
  return { entry, out, wasi };
}

async function main() {
  try {
    const { entry, out, wasi } = parseArgs(process.argv.slice(2));
    const r = await buildHook(entry, out, { wasi });
    const kib = (r.bytes / 1024).toFixed(1);
    const rel = relative(process.cwd(), r.outFile);
    const shown = rel && !rel.startsWith('..') ? rel : r.outFile;
    console.log(`built ${shown}: ${r.bytes} bytes (${kib} KiB) in ${(r.ms / 1000).toFixed(1)} s`);
    if (wasi.length) console.log(`it imports WASI ${wasi.join(', ')}: register it with the grant${wasi.length > 1 ? 's' : ''} ${wasi.join(', ')}`);
  } catch (e) {
    console.error(`build-hook: ${e instanceof BuildError ? e.message : (e?.stack ?? e)}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
