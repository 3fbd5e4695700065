// Registration checks on component bytes, from the cheapest to the dearest:
// size, magic, binary layer, then the component's world (imports and exports).
import { WORLD_NAME, EVENTS_INTERFACE, isAllowedImport, isOurInterface } from './world.js';
import { grantsAllowing, isNeverGranted, type Grant } from './grants.js';
import { HookServiceError, invalidArgument } from '../errors.js';

const MAGIC = [0x00, 0x61, 0x73, 0x6d];
const CORE_VERSION = [0x01, 0x00, 0x00, 0x00];
const COMPONENT_LAYER = [0x0d, 0x00, 0x01, 0x00];

const NOT_WASM = { reason: 'NOT_WEBASSEMBLY' };
const startsWith = (b: Uint8Array, at: number, want: number[]) => want.every((v, i) => b[at + i] === v);
const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

/** Cheap checks that need no parser. Throws a HookServiceError saying what is wrong. */
export function checkBinary(bytes: Uint8Array, maxBytes: number): void {
  if (bytes.length > maxBytes) {
    throw new HookServiceError('resource-exhausted',
      `component is ${mib(bytes.length)} (${bytes.length} bytes), over the limit of ${mib(maxBytes)}`,
      { reason: 'COMPONENT_TOO_LARGE', metadata: { limit: 'maxComponentBytes', max: String(maxBytes), size: String(bytes.length) } });
  }
  if (bytes.length < 8) throw invalidArgument(`not WebAssembly: ${bytes.length} bytes is shorter than a wasm header (8 bytes)`, NOT_WASM);
  if (!startsWith(bytes, 0, MAGIC)) {
    throw invalidArgument('not WebAssembly: the bytes do not start with the wasm magic "\\0asm"', NOT_WASM);
  }
  if (startsWith(bytes, 4, CORE_VERSION)) {
    throw invalidArgument(
      'a core WebAssembly module, not a component: wrap it into a component of ' +
      `${WORLD_NAME} (the SDK's build command, or jco embed + jco new)`, { reason: 'CORE_MODULE_NOT_COMPONENT' });
  }
  if (!startsWith(bytes, 4, COMPONENT_LAYER)) {
    const v = [...bytes.subarray(4, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw invalidArgument(`unknown WebAssembly binary version/layer (${v}): expected a component (0d 00 01 00)`, NOT_WASM);
  }
}

export interface WorldItems {
  imports: string[];
  exports: string[];
}

/** Reads `import X;` / `export X;` items of the component's root world, as jco's componentWit prints it. */
export function parseWorldItems(wit: string): WorldItems {
  const items: WorldItems = { imports: [], exports: [] };
  const world = /world\s+[^\s{]+\s*\{([\s\S]*?)\n\}/.exec(wit)?.[1] ?? '';
  // `import bacula:hooks/job@1.1.0;` names an interface; `import f: func(...)` a bare function.
  for (const m of world.matchAll(/^\s*(import|export)\s+([^;\s]+?)\s*(;|:\s)/gm)) {
    (m[1] === 'import' ? items.imports : items.exports).push(m[2]);
  }
  return items;
}

/**
 * Checks the component's world against ours: nothing imported beyond it, no
 * capability it was not granted, the events exported.
 */
export function checkWorld(items: WorldItems, granted: ReadonlySet<Grant> = new Set()): void {
  const denied = items.imports.filter((i) => !isAllowedImport(i) && !grantsAllowing(i).some((g) => granted.has(g)));
  const outside = denied.filter((i) => !grantsAllowing(i).length || isNeverGranted(i));
  if (outside.length) {
    throw invalidArgument(
      `imports outside the hook world ${WORLD_NAME}: ${outside.join(', ')} ` +
      '(hooks get bacula:hooks/{types,job,daemon,director,diagnostics} and, since 1.2.0, metrics; http, stdio, clocks and random only when granted; ' +
      'filesystem and sockets never: wasi:filesystem is accepted only beside the stdio grant, and then has no directory to open)',
      { reason: 'IMPORTS_OUTSIDE_WORLD', metadata: { imports: outside.join(',') } });
  }
  if (denied.length) {
    const needed = [...new Set(denied.flatMap((i) => grantsAllowing(i).slice(0, 1)))];
    throw invalidArgument(
      `imports not granted to this hook: ${denied.join(', ')} ` +
      `(they need the grant${needed.length > 1 ? 's' : ''} ${needed.map(grantHint).join(', ')})`,
      { reason: 'IMPORTS_NOT_GRANTED', metadata: { imports: denied.join(','), grants: needed.join(',') } });
  }
  if (!items.exports.some((e) => isOurInterface(e, EVENTS_INTERFACE))) {
    throw invalidArgument(
      `the component does not export bacula:hooks/${EVENTS_INTERFACE}@1.x, so it is not a hook of ` +
      `${WORLD_NAME} (it exports: ${items.exports.join(', ') || 'nothing'})`, { reason: 'NOT_A_HOOK', metadata: { world: WORLD_NAME } });
  }
}

const grantHint = (g: Grant) => (g === 'http' ? 'http (name the allowed hosts)' : g);
