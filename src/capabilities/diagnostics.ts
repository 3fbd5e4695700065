// Host side of `bacula:hooks/diagnostics`: a hook's last words before a trap
// (a Rust panic message, a C abort reason), kept for the event's outcome.
import { active, type InvocationSlot } from './invocation.js';

const MAX_REASON = 4096;

export function diagnosticsFunctions(slot: InvocationSlot) {
  return {
    trapReason: (reason: string) => {
      active(slot).trapReason = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason;
    },
  };
}
