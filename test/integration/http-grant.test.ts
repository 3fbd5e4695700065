// Outbound HTTP (bacula:hooks/http, since 1.1.0): a hook reaches only the
// destinations it was granted, over a real HTTP server of the test's own on
// loopback; every other destination is refused, and a hook without a grant
// is refused at registration. Components built against 1.0.0 keep working.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { componentWit } from '@bytecodealliance/jco';
import { fixture, startTestService, testJob, type TestService } from '../helpers/service.js';
import { failureOf } from '../helpers/raw-grpc.js';

let t: TestService;
let good: Server;
let other: Server;
let goodPort: number;
let otherPort: number;
const received: { method: string; url: string; body: string }[] = [];

function listen(s: Server): Promise<number> {
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
}

beforeAll(async () => {
  good = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, body });
      if (req.url === '/redirect-away') return res.writeHead(302, { location: `http://localhost:${goodPort}/landed` }).end();
      if (req.url === '/redirect-home') return res.writeHead(302, { location: `http://127.0.0.1:${goodPort}/landed` }).end();
      if (req.url === '/huge') return res.end(Buffer.alloc(5 * 1024 * 1024, 65));
      if (req.url === '/silent') return; // never answers
      res.end(`got ${req.method} ${req.url} ${body}`);
    });
  });
  other = createServer((_req, res) => res.end('other server'));
  goodPort = await listen(good);
  otherPort = await listen(other);
  t = await startTestService({ limits: { defaults: { deadlineMs: 3000 } } });
  await t.admin.register({ name: 'probe', component: fixture('http-probe.ts'), httpAllowedHosts: [`127.0.0.1:${goodPort}`], order: 1 });
});

afterAll(async () => {
  await t?.cleanup();
  good?.closeAllConnections();
  other?.closeAllConnections();
  good?.close();
  other?.close();
});

const probe = async (url: string) => {
  const o = await (await t.session()).send({ type: 'job-start', job: testJob({ client: url, jobName: 'probe.job' }) });
  return o;
};
const reportOf = async (url: string) => (await probe(url)).report;

describe('a hook granted 127.0.0.1:<port>', () => {
  it('reaches it: the request arrives with its method, path and body, and the answer comes back', async () => {
    expect(await reportOf(`http://127.0.0.1:${goodPort}/notify`)).toEqual([`http 200 got POST /notify {"job":"probe.job"}`]);
    expect(received.at(-1)).toEqual({ method: 'POST', url: '/notify', body: '{"job":"probe.job"}' });
  });

  it('follows a redirect to a granted destination', async () => {
    expect(await reportOf(`http://127.0.0.1:${goodPort}/redirect-home`)).toEqual([`http 200 got GET /landed `]);
  });

  it.each([
    ['another port of the same host', () => `http://127.0.0.1:${otherPort}/`, () => `destination 127.0.0.1:${otherPort} is not granted`],
    ['the same server under another host name', () => `http://localhost:${goodPort}/`, () => `destination localhost:${goodPort} is not granted`],
    ['a redirect to a host not granted', () => `http://127.0.0.1:${goodPort}/redirect-away`, () => `redirect destination localhost:${goodPort} is not granted`],
    ['the link-local metadata address', () => 'http://169.254.169.254/latest/meta-data/', () => '169.254.169.254 is a link-local address: never granted'],
    ['the scheme\'s default port of the granted host', () => 'http://127.0.0.1/', () => 'destination 127.0.0.1:80 is not granted'],
  ])('is refused %s', async (_label, url, why) => {
    const before = received.length;
    const [line] = await reportOf(url());
    expect(line).toContain('http failed: not-allowed: ');
    expect(line).toContain(why());
    // A refused redirect was asked of the granted server once; nothing reached anyone else.
    expect(received.length - before).toBeLessThanOrEqual(1);
  });

  it('gets too-large for a response over the limit, and timed-out for a server that never answers', async () => {
    expect((await reportOf(`http://127.0.0.1:${goodPort}/huge`))[0]).toBe('http failed: too-large: the response is over the limit of 4194304 bytes');
    const t0 = Date.now();
    const o = await probe(`http://127.0.0.1:${goodPort}/silent`);
    expect(o.report).toEqual(['http failed: timed-out']);
    expect(o.hooks[0].status).toBe('ok');
    expect(Date.now() - t0).toBeLessThan(3000 + 2000);
  });
});

describe('grants are per hook, nothing module-global', () => {
  it('two hooks in one event, granted different ports, each reaches only its own', async () => {
    const second = await t.admin.register({ name: 'probe-other', component: fixture('http-probe.ts'), httpAllowedHosts: [`127.0.0.1:${otherPort}`], order: 2 });
    try {
      const o = await probe(`http://127.0.0.1:${goodPort}/both`);
      expect(o.hooks.map((h) => [h.hookName, h.report])).toEqual([
        ['probe', [`http 200 got POST /both {"job":"probe.job"}`]],
        ['probe-other', [`http failed: not-allowed: destination 127.0.0.1:${goodPort} is not granted to this hook (granted: 127.0.0.1:${otherPort})`]],
      ]);
    } finally {
      await t.admin.remove(second.id);
    }
  });
});

describe('registration', () => {
  it('refuses a component importing http without a grant, naming the import', async () => {
    const f = await failureOf(t.admin.register({ name: 'no-grant', component: fixture('http-probe.ts') }));
    expect(f.details).toBe('imports not granted to this hook: bacula:hooks/http@1.2.0 (they need the grant http (name the allowed hosts))');
  });

  it('refuses a grant of a link-local address or something that is not host[:port]', async () => {
    expect((await failureOf(t.admin.register({ name: 'meta', component: fixture('http-probe.ts'), httpAllowedHosts: ['169.254.169.254'] }))).details)
      .toBe('http_allowed_hosts[0]: 169.254.169.254 is link-local: never granted');
    expect((await failureOf(t.admin.register({ name: 'bad', component: fixture('http-probe.ts'), httpAllowedHosts: ['http://x/'] }))).details)
      .toBe('http_allowed_hosts[0]: "http://x/" is not "host" or "host:port"');
  });

  it('shows the grant in the admin API', async () => {
    const [h] = (await t.admin.list()).filter((x) => x.name === 'probe');
    expect(h.httpAllowedHosts).toEqual([`127.0.0.1:${goodPort}`]);
  });
});

describe('the 1.0.0 world keeps working on this 1.2.0 service', () => {
  it('a component built against 1.0.0 (the Rust conformance hook) registers and runs unchanged', async () => {
    const bytes = fixture('conformance.rs');
    expect(await componentWit(bytes)).toContain('export bacula:hooks/events@1.0.0;');
    const h = await t.admin.register({ name: 'old-world', component: bytes, events: ['job-start'] });
    try {
      expect(h.imports.every((i) => i.endsWith('@1.0.0'))).toBe(true);
      const o = await (await t.session()).send({ type: 'job-start', job: testJob({ client: 'x' }) });
      const old = o.hooks.find((x) => x.hookName === 'old-world')!;
      expect(old.status).toBe('ok');
      expect(old.report).toContain('write priority=11: ok');
    } finally {
      await t.admin.remove(h.id);
    }
  });
});
