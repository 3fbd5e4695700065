// Child process of bench/idle-rss.ts: a fresh service with `tenants` tenants,
// one hook each (every tenant gets its own hook thread: the design), all
// registered (so transpiled and instantiated in their threads) and then idle.
// Registers through the service's catalog (what the Register RPC calls), so
// no gRPC clients add to this process's memory. Reports the process's RSS
// before the first hook and once all are loaded and the heap has settled.
// Usage: idle-rss-child.ts <component.wasm> <tenants> <data dir> <concurrency>
// Prints {"baseRssKb", "loadedRssKb", "tenants", "loadMs"}.
import { readFileSync } from 'node:fs';
import { startHookService } from '../src/server/hook-service.js';

const [wasm, n, dataDir, conc] = process.argv.slice(2);
const tenants = Number(n);
const concurrency = Number(conc) || 4;
const component = readFileSync(wasm);
const rssKb = () => process.memoryUsage.rss() / 1024;
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 200));
  }
};

const svc = await startHookService({
  listen: '127.0.0.1:0', dataDir, auth: { unauthenticatedTenant: 'bench' },
  idleWorkerMs: 3_600_000, // idle threads stay: this measures them
  log: () => {},
});
// One warm-up tenant first: the transpile (cached from then on) and the
// compile worker are the service's, not any one hook's.
await svc.catalog.register('warm', { name: 'idle', component, events: [] });
await settle();
const baseRssKb = rssKb();
const t0 = performance.now();
let next = 0;
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < tenants) {
    const i = next++;
    await svc.catalog.register(`t${i}`, { name: 'idle', component, events: [] });
  }
}));
const loadMs = performance.now() - t0;
await settle();
await new Promise((r) => setTimeout(r, 1000));
await settle();
const loadedRssKb = rssKb();
process.stdout.write(`${JSON.stringify({ baseRssKb, loadedRssKb, tenants, loadMs })}\n`);
// Closing 1,000 threads takes a while and measures nothing.
process.exit(0);
