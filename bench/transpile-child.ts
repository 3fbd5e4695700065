// Child process: one transpile repetition with the service's ComponentCompiler
// into a fresh cache dir. Like a fresh service's Register, the compile worker
// first inspects the component's world (which starts the worker and jco);
// then the timed transpile. A second transpile on the same, now warm, worker
// into another fresh cache entry shows jco's steady-state cost.
// Usage: transpile-child.ts <component.wasm> <fresh cache dir>
// Prints {"coldMs", "warmMs", "dir", "entry"}.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { ComponentCompiler } from '../src/components/component-compiler.js';

const [wasm, cacheDir] = process.argv.slice(2);
const bytes = readFileSync(wasm);
const sha256 = createHash('sha256').update(bytes).digest('hex');
const compiler = new ComponentCompiler(cacheDir);
await compiler.checkWorld(bytes);

let t0 = performance.now();
const first = await compiler.transpiled(sha256, async () => bytes);
const coldMs = performance.now() - t0;

// The cache key is only a directory name: another key is another fresh entry.
t0 = performance.now();
await compiler.transpiled(`${sha256}-again`, async () => bytes);
const warmMs = performance.now() - t0;

await compiler.close();
process.stdout.write(`${JSON.stringify({ coldMs, warmMs, dir: first.dir, entry: first.entry })}\n`);
