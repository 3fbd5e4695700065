/**
 * Outbound HTTP for hooks (bacula:hooks/http, since 1.1.0). Importing this
 * module makes the hook a `hook-http` component: it must be registered with
 * the destinations it may reach (http_allowed_hosts), or registration refuses it.
 *
 *   import { sendHttp, utf8 } from '../../hooks-sdk/js/http.js';
 *   const r = sendHttp({ method: 'POST', url: 'https://chat.example/hook', headers: [], body: utf8('{"text":"..."}') });
 *   if (!r.ok) job.writeReport(`notify failed: ${describeError(r.error)}`);
 *
 * The host performs the request: only to granted hosts, never link-local,
 * redirects only to granted hosts, within the event's deadline, a request body
 * of at most 1 MiB and a response of at most 4 MiB.
 */
import { send, type HttpError, type Request, type Response } from 'bacula:hooks/http@1.2.0';
import { errorPayload, isHttpError } from './index.js';

export type { HttpError, Request as HttpRequest, Response as HttpResponse };
export type HttpResult = { ok: true; value: Response } | { ok: false; error: HttpError };

/** Sends the request; a refusal or failure comes back as a value, not a throw. */
export function sendHttp(req: Request): HttpResult {
  try {
    return { ok: true, value: send(req) };
  } catch (e) {
    const p = errorPayload(e);
    if (isHttpError(p)) return { ok: false, error: p };
    throw e;
  }
}

// The engine has TextEncoder/TextDecoder; guest code is type-checked without the DOM library.
const web = globalThis as unknown as {
  TextEncoder: new () => { encode(s: string): Uint8Array };
  TextDecoder: new () => { decode(b: Uint8Array): string };
};
const encoder = new web.TextEncoder();
const decoder = new web.TextDecoder();
export const utf8 = (s: string): Uint8Array => encoder.encode(s);
export const text = (b: Uint8Array): string => decoder.decode(b);
