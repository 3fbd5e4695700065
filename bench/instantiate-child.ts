// Child process: instantiates a transpiled hook the way a hook worker does
// (CompiledHook: import the jco-generated module, compile its core modules,
// instantiate with the host imports), once cold, then once more with the core
// modules already compiled.
// Usage: instantiate-child.ts <transpiled dir> <entry>
// Prints {"coldMs", "warmMs"}.
import { CompiledHook } from '../src/sandbox/worker/hook-instance.js';
import { DEFAULT_LIMITS } from '../src/config.js';
import { WASM_PAGE } from '../src/components/memory-cap.js';

const [dir, entry] = process.argv.slice(2);
let t0 = performance.now();
const compiled = new CompiledHook(dir, entry, (DEFAULT_LIMITS.memoryMiB * 2 ** 20) / WASM_PAGE);
await compiled.instantiate({ catalogPassword: false, http: false });
const coldMs = performance.now() - t0;

t0 = performance.now();
await compiled.instantiate({ catalogPassword: false, http: false });
const warmMs = performance.now() - t0;

process.stdout.write(`${JSON.stringify({ coldMs, warmMs })}\n`);
