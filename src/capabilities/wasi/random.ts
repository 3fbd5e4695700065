// wasi:random 0.2 for one hook instance (the random grant): bytes from the
// host's cryptographic generator, for the secure and the insecure interfaces
// alike. A request is bounded by the hook's memory limit: the bytes could not
// land in the guest anyway, and the host must not allocate without bound.
import { getRandomValues } from 'node:crypto';
import { active, type InvocationSlot } from '../invocation.js';

export function randomInterfaces(slot: InvocationSlot) {
  const bytes = (len: bigint): Uint8Array => {
    const max = BigInt(active(slot).limits.memoryMiB) * 1048576n;
    if (len > max) throw new Error(`wasi:random asked for ${len} bytes, more than the hook's memory limit (${max} bytes)`);
    const out = new Uint8Array(Number(len));
    // getRandomValues fills at most 64 KiB per call.
    for (let at = 0; at < out.length; at += 65536) getRandomValues(out.subarray(at, at + 65536));
    return out;
  };
  const u64 = () => new DataView(bytes(8n).buffer).getBigUint64(0, true);
  return {
    'wasi:random/random': { getRandomBytes: bytes, getRandomU64: u64 },
    'wasi:random/insecure': { getInsecureRandomBytes: bytes, getInsecureRandomU64: u64 },
    'wasi:random/insecure-seed': { insecureSeed: () => [u64(), u64()] },
  };
}
