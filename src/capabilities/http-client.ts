// Performs a hook's outbound HTTP request on the service's side, on the main
// thread: only to granted destinations (host, or host:port; the scheme's
// default port otherwise), never to a link-local address whatever the name
// resolves to, redirects followed only to granted destinations, within the
// time the event has left and the size limits.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { HTTP_LIMITS, type HttpCallResult, type HttpHeader, type HttpRequestData } from '../model/http-call.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** 169.254.0.0/16 and fe80::/10: cloud metadata and other link-local services, never granted. */
export function isLinkLocal(address: string): boolean {
  if (isIP(address) === 4) return address.startsWith('169.254.');
  const a = address.toLowerCase();
  if (a.startsWith('::ffff:')) return isLinkLocal(a.slice(7));
  return /^fe[89ab][0-9a-f]:/.test(a);
}

const defaultPort = (u: URL) => (u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80);
const hostOf = (u: URL) => u.hostname.replace(/^\[|\]$/g, '').toLowerCase();

/** Whether the URL's host and port are among the granted destinations. */
export function isGranted(u: URL, allowed: readonly string[]): boolean {
  const host = hostOf(u);
  const port = defaultPort(u);
  return allowed.some((entry) => {
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry.trim().toLowerCase());
    if (!m) return false;
    const h = m[1].replace(/^\[|\]$/g, '');
    const p = m[2] ? Number(m[2]) : u.protocol === 'https:' ? 443 : 80;
    return h === host && p === port;
  });
}

/** A DNS lookup that refuses link-local answers, so a granted name cannot be pointed at the metadata service. */
function guardedLookup(hostname: string, options: object, cb: (e: NodeJS.ErrnoException | null, a: string | LookupAddress[], f?: number) => void) {
  dnsLookup(hostname, { ...options, all: true }, (e, addresses) => {
    if (e) return cb(e, []);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => isLinkLocal(a.address));
    if (bad) return cb(Object.assign(new Error(`${hostname} resolves to the link-local address ${bad.address}`), { code: 'ELINKLOCAL' }), []);
    if ((options as { all?: boolean }).all) return cb(null, list);
    cb(null, list[0].address, list[0].family);
  });
}

export async function performHttp(req: HttpRequestData, allowed: readonly string[], timeoutMs: number): Promise<HttpCallResult> {
  const method = req.method.toUpperCase();
  if (!METHODS.has(method)) return { ok: false, error: { tag: 'failed', val: `method ${req.method} is not one of ${[...METHODS].join(', ')}` } };
  if ((req.body?.length ?? 0) > HTTP_LIMITS.requestBytes) {
    return { ok: false, error: { tag: 'too-large', val: `the request body is ${req.body!.length} bytes, over the limit of ${HTTP_LIMITS.requestBytes}` } };
  }
  const deadline = Date.now() + Math.min(timeoutMs, HTTP_LIMITS.timeoutMs);
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return { ok: false, error: { tag: 'failed', val: `not a URL: ${JSON.stringify(req.url)}` } };
  }
  let current = { ...req, method };
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: { tag: 'failed', val: `only http and https URLs, not ${url.protocol}` } };
    if (isLinkLocal(hostOf(url))) return { ok: false, error: { tag: 'not-allowed', val: `${url.host} is a link-local address: never granted` } };
    if (!isGranted(url, allowed)) {
      const what = hop === 0 ? 'destination' : 'redirect destination';
      return { ok: false, error: { tag: 'not-allowed', val: `${what} ${hostOf(url)}:${defaultPort(url)} is not granted to this hook (granted: ${allowed.join(', ') || 'none'})` } };
    }
    const left = deadline - Date.now();
    if (left <= 0) return { ok: false, error: { tag: 'timed-out' } };
    const r = await once(url, current, left);
    if (!r.ok || r.value.status < 300 || r.value.status > 399 || r.location === undefined) return r.ok ? { ok: true, value: r.value } : r;
    if (hop >= HTTP_LIMITS.redirects) return { ok: false, error: { tag: 'failed', val: `more than ${HTTP_LIMITS.redirects} redirects` } };
    url = new URL(r.location, url);
    if (r.value.status === 303 || ((r.value.status === 301 || r.value.status === 302) && method === 'POST')) {
      current = { ...current, method: 'GET', body: undefined };
    }
  }
}

type Once = (HttpCallResult & { location?: undefined }) | { ok: true; value: { status: number; headers: HttpHeader[]; body: Uint8Array }; location?: string };

function once(url: URL, req: HttpRequestData, timeoutMs: number): Promise<Once> {
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = {};
    for (const h of req.headers) headers[h.name] = h.value;
    const r = send(url, { method: req.method, headers, lookup: guardedLookup as never, timeout: timeoutMs }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > HTTP_LIMITS.responseBytes) {
          r.destroy();
          resolve({ ok: false, error: { tag: 'too-large', val: `the response is over the limit of ${HTTP_LIMITS.responseBytes} bytes` } });
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        const list: HttpHeader[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) list.push({ name: res.rawHeaders[i], value: res.rawHeaders[i + 1] });
        resolve({ ok: true, value: { status: res.statusCode ?? 0, headers: list, body: new Uint8Array(Buffer.concat(chunks)) }, location: res.headers.location });
      });
      res.on('error', (e) => resolve({ ok: false, error: { tag: 'failed', val: e.message } }));
    });
    r.on('timeout', () => { r.destroy(); resolve({ ok: false, error: { tag: 'timed-out' } }); });
    r.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ELINKLOCAL'
      ? { ok: false, error: { tag: 'not-allowed', val: e.message } }
      : { ok: false, error: { tag: 'failed', val: e.message } }));
    if (req.body) r.write(req.body);
    r.end();
  });
}
