// The registration checks on component bytes and on the component's world,
// run on real binaries and on jco's real componentWit output.
import { componentWit } from '@bytecodealliance/jco';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkBinary, checkWorld, parseWorldItems } from '../../src/components/component-check.js';
import { HookServiceError } from '../../src/errors.js';
import { fixture } from '../helpers/service.js';
import { coreModule, dummyComponent, otherWorldComponent, trappingHookComponent, wasiImportingComponent } from '../helpers/components.js';

const HOST_IMPORTS = ['types', 'job', 'daemon', 'director', 'diagnostics'].map((i) => `bacula:hooks/${i}@1.0.0`);
const EVENTS_EXPORT = 'bacula:hooks/events@1.0.0';

/** The HookServiceError a check throws (fails the test when it throws nothing). */
function refusal(fn: () => void): HookServiceError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HookServiceError);
    return e as HookServiceError;
  }
  throw new Error('expected the check to refuse');
}

describe('checkBinary', () => {
  let component: Uint8Array;
  let coreBytes: Uint8Array;
  beforeAll(async () => {
    component = await trappingHookComponent();
    coreBytes = await coreModule();
  });

  it('accepts a real component up to and including the size limit', () => {
    expect(() => checkBinary(component, component.length)).not.toThrow();
    const conformance = fixture('conformance.ts');
    expect(() => checkBinary(conformance, 32 * 1024 * 1024)).not.toThrow();
  });

  it('refuses one byte over the limit with resource-exhausted, before looking at the bytes', () => {
    let e = refusal(() => checkBinary(component, component.length - 1));
    expect(e.code).toBe('resource-exhausted');
    expect(e.message).toContain(`(${component.length} bytes), over the limit of`);
    // Size comes first: even garbage over the limit is refused for its size.
    e = refusal(() => checkBinary(new Uint8Array(2 * 1048576), 1048576));
    expect(e.code).toBe('resource-exhausted');
    expect(e.message).toBe('component is 2.0 MiB (2097152 bytes), over the limit of 1.0 MiB');
  });

  it.each([
    ['empty', []],
    ['shorter than a header', [0x00, 0x61, 0x73, 0x6d, 0x0d]],
    ['a wrong magic', [0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]],
    ['text', [...Buffer.from('(module)\n')]],
  ])('refuses %s as not WebAssembly', (_label, bytes) => {
    const e = refusal(() => checkBinary(Uint8Array.from(bytes), 1024));
    expect(e.code).toBe('invalid-argument');
    expect(e.message).toContain('not WebAssembly');
  });

  it('refuses a real core module, saying how to make a component of it', () => {
    const e = refusal(() => checkBinary(coreBytes, 1024));
    expect(e.code).toBe('invalid-argument');
    expect(e.message).toContain('a core WebAssembly module, not a component');
    expect(e.message).toContain('bacula:hooks/hook@1.2.0');
  });

  it('refuses an unknown version/layer, showing the bytes', () => {
    const e = refusal(() => checkBinary(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0e, 0x00, 0x01, 0x00]), 1024));
    expect(e.code).toBe('invalid-argument');
    expect(e.message).toContain('unknown WebAssembly binary version/layer (0e 00 01 00)');
  });
});

describe('parseWorldItems on real componentWit output', () => {
  it('conformance.ts.wasm (built against 1.2.0): the five host imports and metrics (componentize-js imports the whole world), the events export', async () => {
    const items = parseWorldItems(await componentWit(fixture('conformance.ts')));
    expect([...items.imports].sort()).toEqual([...HOST_IMPORTS, 'bacula:hooks/metrics@1.0.0'].map((i) => i.replace('@1.0.0', '@1.2.0')).sort());
    expect(items.exports).toEqual(['bacula:hooks/events@1.2.0']);
  });

  it('conformance.rs.wasm (built against the frozen 1.0.0): the five host imports, at 1.0.0', async () => {
    const items = parseWorldItems(await componentWit(fixture('conformance.rs')));
    expect([...items.imports].sort()).toEqual([...HOST_IMPORTS].sort());
    expect(items.exports).toEqual([EVENTS_EXPORT]);
  });

  it('a component of another world: no imports, a function export', async () => {
    expect(parseWorldItems(await componentWit(await otherWorldComponent()))).toEqual({ imports: [], exports: ['run'] });
  });

  it('function imports (`import f: func() -> u32;`) are named by the function', async () => {
    const wit = await componentWit(await dummyComponent(
      'package other:thing@1.0.0; world other { import f: func() -> u32; import g: func(x: string); export run: func() -> u32; }', 'other'));
    expect(wit).toContain('import f: func() -> u32;');
    expect(parseWorldItems(wit)).toEqual({ imports: ['f', 'g'], exports: ['run'] });
  });

  it('a wasi import is listed with the interfaces of ours the component needs', async () => {
    const items = parseWorldItems(await componentWit(await wasiImportingComponent()));
    expect(items.imports).toContain('wasi:filesystem/types@0.2.3');
    expect(items.imports).toContain('bacula:hooks/job@1.0.0');
    expect(items.exports).toEqual([EVENTS_EXPORT]);
  });

  it('inline interface items are named by the item, their contents are not items', async () => {
    const wit = await componentWit(await dummyComponent(
      'package other:thing@1.0.0; world other { import host: interface { ping: func(); } export guest: interface { pong: func(); } }', 'other'));
    expect(parseWorldItems(wit)).toEqual({ imports: ['host'], exports: ['guest'] });
  });

  it('text without a world gives no items', () => {
    expect(parseWorldItems('package a:b;\ninterface i { f: func(); }\n')).toEqual({ imports: [], exports: [] });
  });
});

describe('checkWorld', () => {
  it('accepts our world at 1.0.x, imports of any subset of the host interfaces, extra exports', () => {
    expect(() => checkWorld({ imports: HOST_IMPORTS, exports: [EVENTS_EXPORT] })).not.toThrow();
    expect(() => checkWorld({ imports: ['bacula:hooks/job@1.0.7', 'bacula:hooks/types@1.0.3'], exports: ['bacula:hooks/events@1.0.9'] })).not.toThrow();
    expect(() => checkWorld({ imports: [], exports: ['run', EVENTS_EXPORT] })).not.toThrow();
  });

  it.each([
    ['a 2.0.0 import', 'bacula:hooks/job@2.0.0'],
    ['a 1.3.0 import (newer than this host)', 'bacula:hooks/daemon@1.3.0'],
    ['metrics at 1.1.0 (it came in 1.2.0)', 'bacula:hooks/metrics@1.1.0'],
    ['a wasi import', 'wasi:filesystem/types@0.2.3'],
    ['an unversioned import', 'bacula:hooks/job'],
    ['an import of the events interface (the host does not provide it)', 'bacula:hooks/events@1.0.0'],
    ['an interface of another package', 'other:hooks/job@1.0.0'],
    ['a bare function import', 'f'],
  ])('refuses %s, naming it', (_label, bad) => {
    const e = refusal(() => checkWorld({ imports: [...HOST_IMPORTS, bad], exports: [EVENTS_EXPORT] }));
    expect(e.code).toBe('invalid-argument');
    expect(e.message).toContain(`imports outside the hook world bacula:hooks/hook@1.2.0: ${bad} (`);
  });

  it('accepts 1.2.0 imports with metrics, which needs no grant', () => {
    const v12 = [...HOST_IMPORTS, 'bacula:hooks/metrics@1.0.0'].map((i) => i.replace('@1.0.0', '@1.2.0'));
    expect(() => checkWorld({ imports: v12, exports: ['bacula:hooks/events@1.2.0'] })).not.toThrow();
  });

  it('accepts 1.1.0 imports, and http only when granted', () => {
    const v11 = HOST_IMPORTS.map((i) => i.replace('@1.0.0', '@1.1.0'));
    expect(() => checkWorld({ imports: v11, exports: ['bacula:hooks/events@1.1.0'] })).not.toThrow();
    const withHttp = { imports: [...v11, 'bacula:hooks/http@1.1.0'], exports: ['bacula:hooks/events@1.1.0'] };
    expect(refusal(() => checkWorld(withHttp)).message).toBe('imports not granted to this hook: bacula:hooks/http@1.1.0 (they need the grant http (name the allowed hosts))');
    expect(() => checkWorld(withHttp, new Set(['http'] as const))).not.toThrow();
  });

  it('accepts WASI 0.2.x imports only under their grants, and names the grants missing', () => {
    const stdout = { imports: [...HOST_IMPORTS, 'wasi:cli/stdout@0.2.3', 'wasi:io/streams@0.2.3'], exports: [EVENTS_EXPORT] };
    expect(refusal(() => checkWorld(stdout)).message).toBe('imports not granted to this hook: wasi:cli/stdout@0.2.3, wasi:io/streams@0.2.3 (they need the grant stdio)');
    expect(() => checkWorld(stdout, new Set(['stdio'] as const))).not.toThrow();
    // wasi:io/streams is served under clocks too, but wasi:cli/stdout only under stdio.
    expect(refusal(() => checkWorld(stdout, new Set(['clocks'] as const))).message).toBe('imports not granted to this hook: wasi:cli/stdout@0.2.3 (they need the grant stdio)');
    const mixed = { imports: ['wasi:random/random@0.2.0', 'wasi:clocks/monotonic-clock@0.2.9', 'bacula:hooks/http@1.1.0'], exports: [EVENTS_EXPORT] };
    expect(refusal(() => checkWorld(mixed, new Set(['stdio'] as const))).message).toBe('imports not granted to this hook: wasi:random/random@0.2.0, wasi:clocks/monotonic-clock@0.2.9, bacula:hooks/http@1.1.0 (they need the grants random, clocks, http (name the allowed hosts))');
    expect(() => checkWorld(mixed, new Set(['random', 'clocks', 'http'] as const))).not.toThrow();
  });

  it.each([
    ['wasi:filesystem/types@0.2.3', ['stdio', 'clocks', 'random'], false],
    ['wasi:filesystem/preopens@0.2.3', ['stdio'], false],
    ['wasi:filesystem/types@0.2.3', ['clocks', 'random'], true],
    ['wasi:sockets/tcp@0.2.3', ['stdio', 'clocks', 'random'], true],
    ['wasi:sockets/instance-network@0.2.0', ['stdio'], true],
    ['wasi:cli/environment@0.2.3', ['stdio', 'clocks', 'random'], true],
    ['wasi:cli/exit@0.2.3', ['stdio'], true],
    ['wasi:cli/stdout@0.3.0', ['stdio'], true],
    ['wasi:random/random@0.2', ['random'], true],
  ] as const)('%s with the grants %j: refused as outside the world: %s', (imp, grants, refused) => {
    const items = { imports: [...HOST_IMPORTS, imp], exports: [EVENTS_EXPORT] };
    if (!refused) return expect(() => checkWorld(items, new Set(grants))).not.toThrow();
    expect(refusal(() => checkWorld(items, new Set(grants))).message).toContain(`imports outside the hook world bacula:hooks/hook@1.2.0: ${imp} (`);
  });

  it('names every offending import', () => {
    const e = refusal(() => checkWorld({ imports: ['wasi:cli/stdout@0.2.0', 'bacula:hooks/job@1.0.0', 'wasi:random/random@0.2.0'], exports: [EVENTS_EXPORT] }));
    expect(e.message).toContain(': wasi:cli/stdout@0.2.0, wasi:random/random@0.2.0 (');
  });

  it.each([
    ['nothing', [], 'nothing'],
    ['another interface', ['other:thing/run@1.0.0'], 'other:thing/run@1.0.0'],
    ['events 2.0.0', ['bacula:hooks/events@2.0.0'], 'bacula:hooks/events@2.0.0'],
    ['an unversioned events', ['bacula:hooks/events'], 'bacula:hooks/events'],
  ])('refuses a component exporting %s: no events export', (_label, exports, listed) => {
    const e = refusal(() => checkWorld({ imports: HOST_IMPORTS, exports }));
    expect(e.code).toBe('invalid-argument');
    expect(e.message).toContain('does not export bacula:hooks/events@1.x');
    expect(e.message).toContain(`(it exports: ${listed})`);
  });
});
