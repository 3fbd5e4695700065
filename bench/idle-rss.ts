// rss_per_idle_c_hook_kb / rss_per_idle_js_hook_kb: the service process's RSS
// growth per idle tenant with one hook loaded, measured in a child process
// (bench/idle-rss-child.ts) so the bench's own memory does not count. Each
// tenant has its own hook thread (the design), so this is mostly one Node
// worker thread (V8 isolate + Node environment) plus the hook's instance.
import { runChild } from './child.js';
import { removeTempDir, tempDir } from './tmp.js';

export interface IdleRssPlan {
  cTenants: number;
  jsTenants: number;
  /** Registrations in flight while loading: 8 loads 1,000 hooks in about half the time 2 does (bound by thread round trips); 16 or 32 are no faster. */
  concurrency: number;
}

export const IDLE_RSS_PLAN: IdleRssPlan = { cTenants: 1000, jsTenants: 10, concurrency: 8 };

export interface IdleRss {
  tenants: number;
  baseRssKb: number;
  loadedRssKb: number;
  loadMs: number;
  perHookKb: number;
}

export async function measureIdleRss(wasm: string, tenants: number): Promise<IdleRss> {
  const dir = tempDir('idle-rss');
  try {
    const r = await runChild<Omit<IdleRss, 'perHookKb'>>('./idle-rss-child.ts', [wasm, String(tenants), dir, String(IDLE_RSS_PLAN.concurrency)], 600_000);
    return { ...r, perHookKb: (r.loadedRssKb - r.baseRssKb) / r.tenants };
  } finally {
    removeTempDir(dir);
  }
}
