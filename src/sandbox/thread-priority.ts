// Per-thread CPU priority on Linux. setpriority(PRIO_PROCESS, 0, n), which is
// os.setPriority(0, n), changes only the calling thread's nice value there; a
// thread's id (TID) and nice value are read from /proc. Elsewhere these
// return undefined and the nice values are left alone.
import { readFileSync, readlinkSync } from 'node:fs';

/** The calling thread's kernel thread id (Linux), from the /proc/thread-self link ("<pid>/task/<tid>"). */
export function currentTid(): number | undefined {
  try {
    const m = /\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** A thread of this process's nice value (field 19 of /proc/self/task/<tid>/stat). */
export function niceOf(tid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // "tid (comm) state ppid ...": comm may hold spaces and parentheses; the fields after it start at 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const nice = Number(fields[19 - 3]);
    return Number.isInteger(nice) ? nice : undefined;
  } catch {
    return undefined;
  }
}
