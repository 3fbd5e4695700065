// Host side of `bacula:hooks/director`: run, cancel, does-volume-exist. The
// call blocks the hook while the director answers (see sandbox/worker/director-link.ts).
import type { DirectorCallRequest, DirectorCallResult } from '../model/director-call.js';
import { active, type InvocationSlot } from './invocation.js';
import { witErr } from './wit-result.js';

export function directorFunctions(slot: InvocationSlot) {
  const call = <T>(req: DirectorCallRequest, expect: (v: DirectorCallResult & { ok: true }) => T): T => {
    const inv = active(slot);
    const { director } = inv;
    if (!director) witErr({ tag: 'no-director-session' });
    if (++inv.usage.directorCalls > inv.limits.directorCalls) {
      witErr({ tag: 'unavailable', val: `director call limit reached: ${inv.limits.directorCalls} per event` });
    }
    const r = director(req);
    return r.ok ? expect(r) : witErr(r.error);
  };
  return {
    run: (command: string) => call({ kind: 'run', command }, (r) => Number(r.value)),
    cancel: (jobId: number) => call({ kind: 'cancel', jobId }, () => undefined),
    doesVolumeExist: (name: string) => call({ kind: 'does-volume-exist', name }, (r) => Boolean(r.value)),
  };
}
