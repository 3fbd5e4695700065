// Host side of `bacula:hooks/daemon`: the director's read-only attributes.
import { active, type InvocationSlot } from './invocation.js';

export function daemonFunctions(slot: InvocationSlot) {
  return {
    name: () => active(slot).daemon.name,
    configFile: () => active(slot).daemon.configFile,
    workingDir: () => active(slot).daemon.workingDir,
    version: () => active(slot).daemon.version,
  };
}
