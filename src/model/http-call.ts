// A hook's outbound HTTP request and its answer (WIT interface http, since 1.1.0).
export interface HttpHeader {
  name: string;
  value: string;
}

export interface HttpRequestData {
  method: string;
  url: string;
  headers: HttpHeader[];
  body?: Uint8Array;
}

export interface HttpResponseData {
  status: number;
  headers: HttpHeader[];
  body: Uint8Array;
}

/** WIT variant http-error. */
export type HttpError =
  | { tag: 'not-allowed'; val: string }
  | { tag: 'too-large'; val: string }
  | { tag: 'timed-out' }
  | { tag: 'failed'; val: string };

export type HttpCallResult = { ok: true; value: HttpResponseData } | { ok: false; error: HttpError };

/** Sizes a hook's HTTP traffic may reach, per request. */
export const HTTP_LIMITS = {
  requestBytes: 1024 * 1024,
  responseBytes: 4 * 1024 * 1024,
  /** Even with time left in the event's deadline, no request waits longer. */
  timeoutMs: 10_000,
  redirects: 5,
} as const;
