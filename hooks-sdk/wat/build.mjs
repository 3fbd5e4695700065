#!/usr/bin/env node
// Builds a hook written in WebAssembly text (a core module that speaks the
// hook world's canonical ABI by hand) into a component: jco's wasm-tools parse
// the text, then the C kit's componentize step embeds the WIT and wraps it.
//
//   node hooks-sdk/wat/build.mjs <hook.wat> -o <out.wasm> [--wit <hooks.wit>]
//
// The WIT defaults to hooks-sdk/wit-1.0.0/hooks.wit (world `hook`). Useful for
// the smallest possible hooks and for tests that need an exact module.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const fail = (msg) => {
  process.stderr.write(`wat build: ${msg}\n`);
  process.exit(1);
};

let args;
try {
  args = parseArgs({ allowPositionals: true, options: { out: { type: 'string', short: 'o' }, wit: { type: 'string' } } });
} catch (e) {
  fail(e.message);
}
const [src] = args.positionals;
if (!src || !args.values.out) fail('usage: build.mjs <hook.wat> -o <out.wasm> [--wit <hooks.wit>]');

const { parse } = await import('@bytecodealliance/jco');
let core;
try {
  core = await parse(readFileSync(src, 'utf8'));
} catch (e) {
  fail(`${src}: ${e?.message ?? e}`);
}
const tmp = mkdtempSync(join(tmpdir(), 'wat-hook-'));
try {
  writeFileSync(join(tmp, 'core.wasm'), core);
  // The C kit's componentize defaults to the newest WIT; a hand-written module names its own version.
  const wit = [args.values.wit ?? join(HERE, '..', 'wit-1.0.0', 'hooks.wit')];
  execFileSync(process.execPath, [join(HERE, '..', 'c', 'componentize.mjs'), join(tmp, 'core.wasm'), args.values.out, ...wit], { stdio: ['ignore', 'ignore', 'inherit'] });
} catch {
  process.exit(1);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
