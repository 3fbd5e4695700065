#!/usr/bin/env node
// Turns a core wasm module built by build.sh into a component of the hook
// world: jco's componentEmbed (the WIT, as a string: jco's wasm tools cannot
// read files under preview2-shim without a preopen) then componentNew, which
// both check every import and export of the module against the WIT.
//
//   node hooks-sdk/c/componentize.mjs <core.wasm> <out.wasm> [<hooks.wit>]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const KIT = dirname(fileURLToPath(import.meta.url));
const [coreFile, outFile, witFile = join(KIT, '..', 'wit', 'hooks.wit')] = process.argv.slice(2);
const fail = (msg) => {
  process.stderr.write(`componentize: ${msg}\n`);
  process.exit(1);
};
if (!coreFile || !outFile) fail('usage: componentize.mjs <core.wasm> <out.wasm> [<hooks.wit>]');

let jco;
try {
  jco = await import('@bytecodealliance/jco');
} catch (e) {
  fail(`cannot load @bytecodealliance/jco (run npm install in the repository): ${e.message}`);
}

const message = (e) => (e instanceof Error ? e.message : typeof e === 'object' && e && 'payload' in e ? String(e.payload) : String(e));

let binary, witSource;
try {
  binary = readFileSync(resolve(coreFile));
  witSource = readFileSync(resolve(witFile), 'utf8');
} catch (e) {
  fail(message(e));
}

let embedded, component;
try {
  embedded = await jco.componentEmbed({ binary, witSource, world: 'hook', stringEncoding: 'utf8' });
} catch (e) {
  fail(`embedding the WIT (${witFile}) failed:\n${message(e)}`);
}
try {
  component = await jco.componentNew(embedded);
} catch (e) {
  fail(`the core module does not fit the world bacula:hooks/hook (check the glue's import/export signatures):\n${message(e)}`);
}
try {
  writeFileSync(resolve(outFile), component);
} catch (e) {
  fail(message(e));
}
process.stdout.write(`${component.length}\n`);
