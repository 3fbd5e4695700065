// The Prometheus scrape endpoint: GET /metrics on its own HTTP listener, apart
// from the gRPC port (so it can be bound to another interface, and a scrape
// never competes with directors for a connection).
import { createServer, type Server } from 'node:http';

export interface MetricsServer {
  /** host:port actually bound. */
  address: string;
  port: number;
  close(): Promise<void>;
}

/** Splits "host:port" ("[::1]:9464" too); throws on anything else. */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^\s:]+):(\d+)$/.exec(listen);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new Error(`metrics.listen must be host:port (or "" for no metrics endpoint), got "${listen}"`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

/**
 * Serves `render()` at GET /metrics on `listen`. Anything else is 404 (405 for
 * another method on /metrics); a render that fails is a 500 with its message.
 */
export async function startMetricsServer(listen: string, render: () => Promise<{ contentType: string; body: string }>): Promise<MetricsServer> {
  const { host, port } = parseListen(listen);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('GET /metrics\n');
      return;
    }
    render().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(req.method === 'HEAD' ? undefined : body),
      (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`cannot render the metrics: ${(e as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as { port: number }).port;
  return {
    address: `${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
