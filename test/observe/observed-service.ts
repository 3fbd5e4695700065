// A real service for the observability tests: gRPC and /metrics on loopback
// ports of their own, every log line captured (JSON), a scrape over HTTP
// parsed into samples.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHookService, type RunningService } from '../../src/server/hook-service.js';
import { AdminClient } from '../../src/client/admin-client.js';
import { DirectorSessionClient, type DirectorCallHandlers } from '../../src/client/director-client.js';
import type { ServiceOptions } from '../../src/config.js';
import type { ConnectOptions } from '../../src/client/grpc-clients.js';
import { DAEMON } from '../helpers/service.js';

export interface ObservedService {
  svc: RunningService;
  /** Every log line the service wrote, parsed ({ unparsed } for a line that is not JSON). */
  logs: Record<string, unknown>[];
  metricsUrl: string;
  admin(client?: ConnectOptions): AdminClient;
  session(handlers?: DirectorCallHandlers, client?: ConnectOptions): Promise<DirectorSessionClient>;
  /** GET /metrics: the body and its samples by `name{label="value",...}` (labels sorted). */
  scrape(): Promise<{ text: string; contentType: string; samples: Map<string, number> }>;
  cleanup(): Promise<void>;
}

export async function startObservedService(options: ServiceOptions = {}): Promise<ObservedService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hooks-observe-'));
  const logs: Record<string, unknown>[] = [];
  const svc = await startHookService({
    listen: '127.0.0.1:0', dataDir, auth: { unauthenticatedTenant: 'default' },
    metrics: { listen: '127.0.0.1:0' },
    log: { level: 'debug', format: 'json', sink: (line) => logs.push(parseLine(line)) },
    ...options,
  });
  const clients: { close(): unknown }[] = [];
  const metricsUrl = `http://${svc.observability.server!.address}/metrics`;
  return {
    svc, logs, metricsUrl,
    admin(client = {}) {
      const a = new AdminClient(svc.address, client);
      clients.push(a);
      return a;
    },
    async session(handlers = {}, client = {}) {
      const s = await DirectorSessionClient.open(svc.address, { ...client, daemon: DAEMON, handlers });
      clients.push(s);
      return s;
    },
    async scrape() {
      const res = await fetch(metricsUrl);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET /metrics: ${res.status} ${text}`);
      return { text, contentType: res.headers.get('content-type') ?? '', samples: parseExposition(text) };
    },
    async cleanup() {
      await Promise.all(clients.map(async (c) => { await c.close(); }));
      await svc.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A log line as JSON; one that is not JSON is kept as { unparsed } for a test to find. */
function parseLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { unparsed: line };
  }
}

/** Prometheus text format samples, keyed `name{a="1",b="2"}` with the labels sorted (`name` alone without labels). */
export function parseExposition(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels = [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => `${l[1]}="${l[2]}"`).sort();
    const key = labels.length ? `${m[1]}{${labels.join(',')}}` : m[1];
    if (out.has(key)) throw new Error(`sample ${key} appears twice`);
    out.set(key, m[3] === '+Inf' ? Infinity : Number(m[3]));
  }
  return out;
}

/** The key parseExposition gives a sample. */
export function sample(name: string, labels: Record<string, string> = {}): string {
  const l = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort();
  return l.length ? `${name}{${l.join(',')}}` : name;
}
