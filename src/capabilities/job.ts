// Host side of `bacula:hooks/job`: the job resource a hook reads and writes.
// jco calls these methods on the object the worker passes to an event export.
import type { Level } from '../model/enums.js';
import { active, type InvocationSlot } from './invocation.js';
import { checkLevel, checkPriority, checkVolumeName } from './write-rules.js';
import { addReportLines } from './report-limit.js';
import { witErr } from './wit-result.js';

/** Report lines: a trailing newline (the seed's habit) is dropped, inner ones split lines. */
export function reportLines(text: string): string[] {
  return text.replace(/\r?\n$/, '').split(/\r?\n/);
}

/**
 * A Job class bound to one instance's invocation slot. The class is made per
 * instance, so jco's `instanceof Job` check ties a handle to its own instance.
 */
export function jobResource(slot: InvocationSlot, grants: { catalogPassword: boolean }) {
  const job = () => {
    const j = active(slot).job;
    if (!j) throw new Error('this event has no job');
    return j;
  };
  return class Job {
    jobType() { return job().jobType; }
    jobId() { return job().jobId; }
    client() { return job().client; }
    numVols() { return job().numVols; }
    pool() { return job().pool; }
    storage() { return job().storage; }
    writeStorage() { return job().writeStorage; }
    readStorage() { return job().readStorage; }
    catalog() { return job().catalog; }
    mediaType() { return job().mediaType; }
    name() { return job().name; }
    jobName() { return job().jobName; }
    status() { return job().status; }
    priority() { return job().priority; }
    level() { return job().level; }
    catalogRes() {
      const c = job().catalogRes;
      if (!c) return undefined;
      return { ...c, password: grants.catalogPassword ? c.password : undefined };
    }
    volumeName() { return job().volumeName; }
    jobErrors() { return job().jobErrors; }
    jobFiles() { return BigInt(job().jobFiles); }
    jobBytes() { return BigInt(job().jobBytes); }
    readBytes() { return BigInt(job().readBytes); }
    sdJobFiles() { return BigInt(job().sdJobFiles); }
    sdErrors() { return job().sdErrors; }
    fdJobStatus() { return job().fdJobStatus; }
    sdJobStatus() { return job().sdJobStatus; }
    schedTime() { return BigInt(job().schedTime); }
    sinceTime() { return BigInt(job().sinceTime); }

    setPriority(priority: number): void {
      const inv = active(slot);
      const refused = checkPriority(inv.event, priority);
      if (refused) witErr(refused);
      inv.writes.priority = job().priority = priority;
    }
    setLevel(level: Level): void {
      const inv = active(slot);
      const refused = checkLevel(inv.event, level);
      if (refused) witErr(refused);
      inv.writes.level = job().level = level;
    }
    setVolumeName(name: string): void {
      const inv = active(slot);
      const refused = checkVolumeName(inv.event, name);
      if (refused) witErr(refused);
      inv.writes.volumeName = job().volumeName = name;
    }
    writeReport(line: string): void {
      addReportLines(active(slot), reportLines(line));
    }
  };
}
