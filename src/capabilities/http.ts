// Host side of `bacula:hooks/http` (since 1.1.0): a granted hook's outbound
// request, performed by the main thread (capabilities/http-client.ts) while
// the hook waits, within the time its event has left.
import { active, type InvocationSlot } from './invocation.js';
import { witErr } from './wit-result.js';
import type { HttpHeader } from '../model/http-call.js';

interface WitRequest {
  method: string;
  url: string;
  headers: HttpHeader[];
  body?: Uint8Array;
}

export function httpFunctions(slot: InvocationSlot) {
  return {
    send(req: WitRequest) {
      const inv = active(slot);
      if (!inv.http) witErr({ tag: 'not-allowed', val: 'this hook has no outbound HTTP grant' });
      const left = inv.deadlineAt - performance.now();
      // Leave the hook a moment to handle a timeout before its event's deadline replaces its thread.
      const budget = Math.floor(left - Math.min(250, left / 4));
      if (budget <= 0) witErr({ tag: 'timed-out' });
      const r = inv.http({ method: req.method, url: req.url, headers: req.headers, body: req.body }, budget);
      return r.ok ? r.value : witErr(r.error);
    },
  };
}
