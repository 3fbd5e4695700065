// The memory cap rewrites a core module's memory limits before it is compiled:
// memory.grow past the cap fails inside the module; everything else is kept.
import { describe, expect, it } from 'vitest';
import { parse } from '@bytecodealliance/jco';
import { MemoryCapError, capMemory } from '../../src/components/memory-cap.js';

const wat = (memory: string) => parse(`(module ${memory}
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size)))`);

async function instance(bytes: Uint8Array) {
  const { instance: i } = await WebAssembly.instantiate(bytes as Uint8Array<ArrayBuffer>);
  return i.exports as { grow: (n: number) => number; size: () => number };
}

describe('capMemory', () => {
  it('caps a memory declared without a maximum: growing past the cap fails in the module', async () => {
    const capped = capMemory(await wat('(memory (export "memory") 1)'), 4);
    expect(WebAssembly.validate(capped as Uint8Array<ArrayBuffer>)).toBe(true);
    const m = await instance(capped);
    expect(m.grow(10)).toBe(-1);
    expect(m.grow(3)).toBe(1);
    expect(m.size()).toBe(4);
    expect(m.grow(1)).toBe(-1);
  });

  it('lowers a larger maximum and keeps a smaller one', async () => {
    expect((await instance(capMemory(await wat('(memory 1 1000)'), 4))).grow(4)).toBe(-1);
    const small = await instance(capMemory(await wat('(memory 1 2)'), 4));
    expect(small.grow(2)).toBe(-1);
    expect(small.grow(1)).toBe(1);
  });

  it('refuses a module that starts above the cap, saying by how much', async () => {
    const big = await wat('(memory 64)');
    expect(() => capMemory(big, 16)).toThrow(MemoryCapError);
    expect(() => capMemory(big, 16)).toThrow('the module starts with 64 pages (4 MiB) of memory, over its cap of 16 pages (1 MiB)');
  });

  it('leaves a module without a memory byte for byte as it was', async () => {
    const bytes = await wat('');
    expect(Buffer.from(capMemory(bytes, 4)).equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(capMemory(bytes, 4)).equals(Buffer.from(capMemory(bytes, 8)))).toBe(true);
  });

  it('refuses truncated bytes', async () => {
    const bytes = await wat('(memory 1)');
    expect(() => capMemory(bytes.subarray(0, bytes.length - 3), 4)).toThrow(MemoryCapError);
  });
});
