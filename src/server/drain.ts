// Graceful shutdown's middle: once draining, nothing new is admitted (new
// sessions, events, calls get UNAVAILABLE at once); what was admitted before
// gets until the drain timeout to finish, and whatever is still running then
// is answered UNAVAILABLE. Every piece of work is answered exactly once: by
// itself, or by the drain, whichever comes first.
import { HookServiceError } from '../errors.js';

/** What a director (or any client) is told while the service drains: retry elsewhere, or here after the restart. */
export const DRAINING_MESSAGE = 'hookd is draining for a shutdown: not accepted here, send it again to another instance (or to this one once it is back)';

/** A director session, ended (with UNAVAILABLE) once the drain is over. */
export interface DrainableSession {
  end(message: string): void;
}

export interface DrainReport {
  /** Work that finished by itself during the drain. */
  finished: number;
  /** Work still running at the timeout, answered UNAVAILABLE. */
  answeredUnavailable: number;
  /** How long the drain took. */
  ms: number;
}

interface Work {
  abort(e: HookServiceError): void;
}

export class Drain {
  private drainingSince: number | undefined;
  private readonly work = new Set<Work>();
  private readonly sessions = new Set<DrainableSession>();
  private finishedDuringDrain = 0;
  private settled: (() => void) | undefined;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** Work admitted and not yet answered. */
  get inFlight(): number {
    return this.work.size;
  }

  /** Throws UNAVAILABLE (with the reason and what to do) once the drain has begun. */
  admit(): void {
    if (this.draining) throw new HookServiceError('unavailable', DRAINING_MESSAGE);
  }

  /**
   * Tracks one admitted piece of work. `abort` answers it UNAVAILABLE if the
   * drain times out first; the returned function says it was answered.
   */
  track(abort: (e: HookServiceError) => void): () => void {
    const w: Work = { abort };
    this.work.add(w);
    return () => {
      if (!this.work.delete(w)) return;
      if (this.draining) this.finishedDuringDrain++;
      if (this.work.size === 0) this.settled?.();
    };
  }

  /** Registers a live session; the returned function unregisters it. */
  addSession(s: DrainableSession): () => void {
    this.sessions.add(s);
    return () => this.sessions.delete(s);
  }

  /** Stops admitting, waits up to timeoutMs for the work in flight, answers the rest UNAVAILABLE, ends every session. */
  async run(timeoutMs: number): Promise<DrainReport> {
    if (this.draining) throw new Error('the drain has already begun');
    const started = performance.now();
    this.drainingSince = Date.now();
    if (this.work.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((r) => { this.settled = r; }),
        new Promise<void>((r) => { timer = setTimeout(r, timeoutMs); }),
      ]);
      clearTimeout(timer);
    }
    const late = [...this.work];
    this.work.clear();
    const e = new HookServiceError('unavailable', `${DRAINING_MESSAGE}; it was still running when the drain timeout (${timeoutMs} ms) ran out, and its result will not be sent`);
    for (const w of late) w.abort(e);
    for (const s of [...this.sessions]) s.end(DRAINING_MESSAGE);
    this.sessions.clear();
    return { finished: this.finishedDuringDrain, answeredUnavailable: late.length, ms: performance.now() - started };
  }
}
