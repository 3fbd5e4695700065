// The call-latency histogram for outbound HTTP, the other host call a hook
// waits on: a real hook's requests to a loopback server, one answered, one to
// a destination it was not granted, each counted under its result.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, testJob } from '../helpers/service.js';
import { sample, startObservedService, type ObservedService } from './observed-service.js';

let s: ObservedService;
let server: Server;
let port = 0;
const reports: string[][] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    // Answers after 50 ms, so the observation is above the first buckets.
    setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('pong'), 50);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  s = await startObservedService();
  await s.admin().register({ name: 'http', component: fixture('http-probe.ts'), httpAllowedHosts: [`127.0.0.1:${port}`] });
  const session = await s.session();
  for (const url of [`http://127.0.0.1:${port}/ping`, `http://127.0.0.1:${port + 1}/elsewhere`]) {
    reports.push((await session.send({ type: 'job-start', job: testJob({ client: url }) })).report);
  }
}, 120_000);

afterAll(async () => {
  await s?.cleanup();
  await new Promise<void>((r) => server?.close(() => r()));
});

describe('host call latency', () => {
  it('times each HTTP request under its result: ok, or the error\'s tag', async () => {
    expect(reports[0]).toEqual(['http 200 pong']);
    expect(reports[1][0]).toMatch(/^http failed: not-allowed: /);
    const { samples } = await s.scrape();
    const count = (result: string) => samples.get(sample('bacula_hooks_director_call_duration_seconds_count', { tenant: 'default', call: 'http', result }));
    expect(count('ok')).toBe(1);
    expect(count('not-allowed')).toBe(1);
    // The answered one waited for the server's 50 ms.
    expect(samples.get(sample('bacula_hooks_director_call_duration_seconds_bucket', { tenant: 'default', call: 'http', result: 'ok', le: '0.025' }))).toBe(0);
    expect(samples.get(sample('bacula_hooks_director_call_duration_seconds_sum', { tenant: 'default', call: 'http', result: 'ok' }))).toBeGreaterThanOrEqual(0.05);
  });
});
