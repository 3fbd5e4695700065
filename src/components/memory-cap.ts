// Caps the linear memory a core module may grow to, before it is compiled:
// the memory section's maximum is lowered to the cap, so `memory.grow` past it
// fails inside the guest (returns -1, or traps as the language's allocator
// decides) instead of growing the service. Worker resourceLimits do not cover
// wasm memory; this does.

export const WASM_PAGE = 64 * 1024;

export class MemoryCapError extends Error {
  override readonly name = 'MemoryCapError';
}

/** Reads an unsigned LEB128 at `at`; returns the value and the next offset. */
function readU32(b: Uint8Array, at: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    const byte = b[at + i];
    if (byte === undefined) throw new MemoryCapError('truncated module (a LEB128 number runs past the end)');
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, at + i + 1];
    shift += 7;
  }
  throw new MemoryCapError('malformed LEB128 number');
}

function writeU32(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const MEMORY_SECTION = 5;

/** A copy of the core module with every memory it defines capped at `maxPages`. */
export function capMemory(module: Uint8Array, maxPages: number): Uint8Array {
  if (module.length < 8) throw new MemoryCapError('not a core module (shorter than its header)');
  // Sections other than memory are copied as whole slices: a JS engine's module is megabytes.
  const parts: Uint8Array[] = [module.subarray(0, 8)];
  let at = 8;
  while (at < module.length) {
    const id = module[at];
    const [size, body] = readU32(module, at + 1);
    const end = body + size;
    if (end > module.length) throw new MemoryCapError('truncated module (a section runs past the end)');
    if (id !== MEMORY_SECTION) {
      parts.push(module.subarray(at, end));
    } else {
      const content = capMemorySection(module, body, end, maxPages);
      parts.push(Uint8Array.from([id, ...writeU32(content.length), ...content]));
    }
    at = end;
  }
  return new Uint8Array(Buffer.concat(parts));
}

function capMemorySection(b: Uint8Array, start: number, end: number, maxPages: number): number[] {
  let [count, at] = readU32(b, start);
  const out = writeU32(count);
  while (count-- > 0) {
    const flags = b[at++];
    if (flags & 0x04) throw new MemoryCapError('64-bit memories are not supported');
    let min: number;
    [min, at] = readU32(b, at);
    let max: number | undefined;
    if (flags & 0x01) [max, at] = readU32(b, at);
    if (min > maxPages) {
      throw new MemoryCapError(`the module starts with ${min} pages (${(min * WASM_PAGE) / 2 ** 20} MiB) of memory, over its cap of ${maxPages} pages (${(maxPages * WASM_PAGE) / 2 ** 20} MiB)`);
    }
    const capped = Math.min(max ?? Infinity, maxPages);
    out.push(flags | 0x01, ...writeU32(min), ...writeU32(capped));
  }
  if (at !== end) throw new MemoryCapError('malformed memory section');
  return out;
}
