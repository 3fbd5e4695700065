// Byte-level pieces of the WebAssembly binary format the tests and the bench
// write by hand: LEB128 integers and custom sections (which any module or
// component may carry without changing what it does).

/** Unsigned LEB128. */
export function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** A custom section (id 0): size, name, payload. */
export function customSection(name: string, payload: Uint8Array): Uint8Array {
  const n = new TextEncoder().encode(name);
  const body = [...leb128(n.length), ...n, ...payload];
  return Uint8Array.from([0x00, ...leb128(body.length), ...body]);
}
