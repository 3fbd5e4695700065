#!/usr/bin/env node
// Turns the core wasm module of a Rust hook into a component of the world
// bacula:hooks/hook@1.0.0 and checks what the component imports and exports.
//
//   node hooks-sdk/rust/componentize.mjs <core.wasm> <out.wasm>
//
// Steps: jco's componentEmbed (the WIT of hooks-sdk/wit-1.0.0/hooks.wit, world
// `hook`, passed as a string: jco's wasm tools cannot read files in this
// process) then componentNew, which validates every import and export of the
// core module against the WIT's canonical-ABI signatures; then componentWit,
// to refuse anything that imports outside bacula:hooks/*.
// A build-time tool, called by build.sh; never loaded by the service.

import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const WIT_FILE = join(HERE, '..', 'wit-1.0.0', 'hooks.wit');
const REPO_ROOT = join(HERE, '..', '..');

function fail(message) {
  process.stderr.write(`build.sh: ${message}\n`);
  process.exit(1);
}

async function main() {
  const [coreFile, outFile] = process.argv.slice(2);
  if (!coreFile || !outFile) fail('usage: componentize.mjs <core.wasm> <out.wasm>');

  let jco;
  try {
    // Resolved from the repository's node_modules, wherever the build was started.
    const { createRequire } = await import('node:module');
    const require = createRequire(join(REPO_ROOT, 'package.json'));
    jco = await import(require.resolve('@bytecodealliance/jco'));
  } catch (e) {
    fail(`cannot load @bytecodealliance/jco (run npm install in ${REPO_ROOT}): ${e.message}`);
  }

  const witSource = await readFile(WIT_FILE, 'utf8').catch((e) => fail(`cannot read the WIT ${WIT_FILE}: ${e.message}`));

  // The kit's glue is written for one WIT: say so when the WIT has changed since.
  const witSha = createHash('sha256').update(witSource).digest('hex');
  const libRs = await readFile(join(HERE, 'src', 'lib.rs'), 'utf8');
  const kitSha = /pub const WIT_SHA256: &str = "([0-9a-f]{64})"/.exec(libRs)?.[1];
  if (kitSha !== witSha) {
    process.stderr.write(
      `build.sh: warning: hooks-sdk/wit-1.0.0/hooks.wit (sha256 ${witSha}) is not the WIT the Rust kit was written for ` +
      `(WIT_SHA256 ${kitSha}); check the glue in hooks-sdk/rust/src/abi.rs against it\n`);
  }

  const binary = demangleNames(new Uint8Array(await readFile(coreFile)));
  let component;
  try {
    const embedded = await jco.componentEmbed({ binary, witSource, world: 'hook', stringEncoding: 'utf8' });
    component = await jco.componentNew(embedded);
  } catch (e) {
    const msg = String(e?.message ?? e);
    const hint = /failed to find export of interface `bacula:hooks\/events/.test(msg)
      ? '\n(the hook exports no events: end it with `bacula_hooks::export_hook!(YourHook);`)'
      : '';
    fail(`the core module does not match the world bacula:hooks/hook@1.0.0:\n  ${msg.replace(/\n/g, '\n  ')}${hint}`);
  }

  const wit = await jco.componentWit(component);
  const world = /world\s+[^\s{]+\s*\{([\s\S]*?)\n\}/.exec(wit)?.[1] ?? '';
  const items = [...world.matchAll(/^\s*(import|export)\s+([^;\s]+?)\s*(;|:\s)/gm)].map((m) => [m[1], m[2]]);
  const foreign = items.filter(([k, n]) => k === 'import' && !n.startsWith('bacula:hooks/'));
  if (foreign.length) fail(`the component imports outside bacula:hooks: ${foreign.map(([, n]) => n).join(', ')}`);
  if (!items.some(([k, n]) => k === 'export' && n === 'bacula:hooks/events@1.0.0')) {
    fail('the component does not export bacula:hooks/events@1.0.0 (did the hook use bacula_hooks::export_hook!?)');
  }

  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, component);
}

// ---------------------------------------------------------------------------
// Readable traps: the linker writes Rust's mangled symbol names into the core
// module's name section (`_ZN11conformance11Conformance5track17h23b5…E`), and
// those names are what a wasm backtrace shows. Rewrite them demangled
// (`conformance::Conformance::track`); everything else is left as it is.

function readLeb(b, at) {
  let v = 0, shift = 0, byte;
  do {
    byte = b[at++];
    v += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [v, at];
}

function leb(v) {
  const out = [];
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return out;
}

const ESCAPES = { SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',' };

/** Demangles a Rust legacy symbol (`_ZN…E`); returns other names unchanged. */
function demangle(sym) {
  if (!sym.startsWith('_ZN') || !sym.endsWith('E')) return sym;
  const parts = [];
  let i = 3;
  while (i < sym.length - 1) {
    const m = /^\d+/.exec(sym.slice(i));
    if (!m) return sym;
    const n = Number(m[0]);
    i += m[0].length;
    if (n === 0 || i + n > sym.length - 1) return sym;
    parts.push(sym.slice(i, i + n));
    i += n;
  }
  if (parts.length > 1 && /^h[0-9a-f]{16}$/.test(parts[parts.length - 1])) parts.pop();
  return parts
    .map((p) => (p.startsWith('_$') ? p.slice(1) : p)
      .replace(/\.\./g, '::')
      .replace(/\$([A-Z]{1,2}|u[0-9a-f]{1,6})\$/g, (all, e) =>
        e[0] === 'u' ? String.fromCodePoint(parseInt(e.slice(1), 16)) : (ESCAPES[e] ?? all)))
    .join('::');
}

/** The core module with the function names of its `name` section demangled. */
function demangleNames(module) {
  const b = module;
  if (b.length < 8) return module;
  const out = [b.subarray(0, 8)];
  let at = 8;
  while (at < b.length) {
    const start = at;
    const id = b[at];
    const [size, body] = readLeb(b, at + 1);
    at = body + size;
    if (id !== 0) { out.push(b.subarray(start, at)); continue; }
    const [nameLen, nameAt] = readLeb(b, body);
    const name = new TextDecoder().decode(b.subarray(nameAt, nameAt + nameLen));
    if (name !== 'name') { out.push(b.subarray(start, at)); continue; }
    const content = [...leb(4), ...new TextEncoder().encode('name')];
    let p = nameAt + nameLen;
    while (p < at) {
      const sub = b[p];
      const [subSize, subBody] = readLeb(b, p + 1);
      const subEnd = subBody + subSize;
      if (sub !== 1) {
        content.push(...b.subarray(p, subEnd));
      } else {
        const names = [];
        let [count, q] = readLeb(b, subBody);
        names.push(...leb(count));
        while (count--) {
          let idx, len;
          [idx, q] = readLeb(b, q);
          [len, q] = readLeb(b, q);
          const fn = new TextEncoder().encode(demangle(new TextDecoder().decode(b.subarray(q, q + len))));
          q += len;
          names.push(...leb(idx), ...leb(fn.length), ...fn);
        }
        content.push(1, ...leb(names.length), ...names);
      }
      p = subEnd;
    }
    out.push(new Uint8Array([0, ...leb(content.length), ...content]));
  }
  const total = out.reduce((n, x) => n + x.length, 0);
  const result = new Uint8Array(total);
  let off = 0;
  for (const x of out) { result.set(x, off); off += x.length; }
  return result;
}

await main().catch((e) => fail(`componentize failed: ${e?.stack ?? e}`));
