// Small components built on the spot with jco's wasm-tools (no componentize-js):
// a core module, components of other worlds, and a "dummy" component of our
// own world whose every export traps.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { componentEmbed, componentNew, parse } from '@bytecodealliance/jco';
import { leb128 } from './wasm-bytes.js';
import { REPO_ROOT } from '../../src/cli/example-hooks.js';

/** The 1.0.0 world: its dummy components import no capability that needs a grant. */
export const HOOKS_WIT = readFileSync(join(REPO_ROOT, 'hooks-sdk', 'wit-1.0.0', 'hooks.wit'), 'utf8');

/** A core module with one exported function: valid WebAssembly, but not a component. */
export const coreModule = () => parse('(module (func (export "f")))');

/** A dummy component (every export traps) of `world` in `witSource`. */
export async function dummyComponent(witSource: string, world: string): Promise<Uint8Array> {
  return componentNew(await componentEmbed({ dummy: true, witSource, world }), undefined);
}

/** A component of another world: exports one function, nothing of ours. */
export const otherWorldComponent = () =>
  dummyComponent('package other:thing@1.0.0; world other { export run: func() -> u32; }', 'other');

/** A component of the hook world itself (dummy: every export traps when called). */
export const trappingHookComponent = () => dummyComponent(HOOKS_WIT, 'hook');

/**
 * A component that exports our events interface but also imports
 * wasi:filesystem/types@0.2.3. Our WIT goes in as a nested package; the world
 * lives in the top-level package, which must come first in the source.
 */
export function wasiImportingComponent(): Promise<Uint8Array> {
  const ours = HOOKS_WIT.replace(/^package bacula:hooks@1\.0\.0;\s*$/m, '');
  const witSource = [
    'package test:wasi-user@1.0.0;',
    'world user { import wasi:filesystem/types@0.2.3; export bacula:hooks/events@1.0.0; }',
    `package bacula:hooks@1.0.0 {\n${ours}\n}`,
    'package wasi:filesystem@0.2.3 { interface types { stat-len: func() -> u64; } }',
  ].join('\n');
  return dummyComponent(witSource, 'user');
}

/** The component with a custom section appended so that it is `totalBytes` long (still a valid component). */
export function padTo(component: Uint8Array, totalBytes: number): Uint8Array {
  const name = [...Buffer.from('padding')];
  // total = component + section id (1) + LEB128(size) + size, where size = name length (1) + name + payload.
  for (let sizeLen = 1; sizeLen <= 5; sizeLen++) {
    const size = totalBytes - component.length - 1 - sizeLen;
    if (size < 1 + name.length || leb128(size).length !== sizeLen) continue;
    const header = [0x00, ...leb128(size), name.length, ...name];
    const out = new Uint8Array(totalBytes).fill(0x2a);
    out.set(component, 0);
    out.set(header, component.length);
    return out;
  }
  throw new Error(`cannot pad a ${component.length}-byte component to ${totalBytes} bytes`);
}
