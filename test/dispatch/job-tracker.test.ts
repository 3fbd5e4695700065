// The job phase machine: which events a job admits when, what each refusal
// says, and that jobs are keyed by tenant, director and job id.
import { describe, expect, it } from 'vitest';
import { JobTracker } from '../../src/dispatch/job-tracker.js';
import { HookServiceError, type ErrorCode } from '../../src/errors.js';
import type { EventName } from '../../src/model/enums.js';

const T = 'tenant';
const D = 'dir1';

function refusal(fn: () => unknown, code: ErrorCode): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HookServiceError);
    expect((e as HookServiceError).code).toBe(code);
    return (e as HookServiceError).message;
  }
  throw new Error(`expected a ${code} refusal`);
}

/** A tracker with job 1 of dir1 taken through `events`. */
function through(events: EventName[]) {
  const tracker = new JobTracker();
  for (const e of events) tracker.admit(T, D, e, 1);
  return tracker;
}

describe('the phase machine', () => {
  it('admits a whole job in order, returning the same tracked job throughout', () => {
    const tracker = new JobTracker();
    const job = tracker.admit(T, D, 'job-start', 1);
    expect(job).toMatchObject({ jobId: 1, phase: 0 });
    expect(job.subscriptions.size).toBe(0);
    for (const e of ['job-init', 'job-run', 'new-volume', 'volume-purged', 'new-volume', 'new-volume', 'volume-purged'] as const) {
      expect(tracker.admit(T, D, e, 1)).toBe(job);
    }
    expect(job.phase).toBe(2);
    expect(tracker.admit(T, D, 'job-end', 1)).toBe(job);
    expect(tracker.size).toBe(0);
  });

  it('JobEnd may come right after JobStart (a job that never ran)', () => {
    expect(through(['job-start', 'job-end']).size).toBe(0);
  });

  it('JobStart for a job in progress: already-exists', () => {
    const tracker = through(['job-start', 'job-init']);
    expect(refusal(() => tracker.admit(T, D, 'job-start', 1), 'already-exists'))
      .toBe('JobStart for job 1 of director "dir1", which already started and has not ended');
    // The refusal did not reset the job.
    expect(refusal(() => tracker.admit(T, D, 'job-init', 1), 'failed-precondition')).toContain('out of order');
  });

  it.each<[EventName[], EventName]>([
    [['job-start', 'job-init'], 'job-init'],
    [['job-start', 'job-init', 'job-run'], 'job-init'],
    [['job-start', 'job-init', 'job-run'], 'job-run'],
    [['job-start', 'job-init', 'job-run', 'new-volume'], 'job-init'],
  ])('after %j, %s is out of order: failed-precondition', (before, event) => {
    const tracker = through(before);
    const name = event === 'job-init' ? 'JobInit' : 'JobRun';
    expect(refusal(() => tracker.admit(T, D, event, 1), 'failed-precondition'))
      .toBe(`${name} for job 1 came out of order (the order is JobStart -> JobInit -> JobRun -> (NewVolume | VolumePurged)* -> JobEnd; a director may skip JobInit or JobRun, never repeat or go back)`);
  });

  it.each<[EventName, string]>([
    ['job-init', 'JobInit'], ['job-run', 'JobRun'], ['new-volume', 'NewVolume'], ['volume-purged', 'VolumePurged'], ['job-end', 'JobEnd'],
  ])('%s for a job never started: not-found, in Bacula\'s words', (event, name) => {
    expect(refusal(() => new JobTracker().admit(T, D, event, 7), 'not-found'))
      .toBe(`${name} for job 7 of director "dir1": no JobStart was seen for that job (or it already ended)`);
  });

  it('after JobEnd the job is unknown, and its id may start again as a new job', () => {
    const tracker = through(['job-start', 'job-init', 'job-run', 'job-end']);
    for (const e of ['job-init', 'job-run', 'new-volume', 'job-end'] as const) refusal(() => tracker.admit(T, D, e, 1), 'not-found');
    const again = tracker.admit(T, D, 'job-start', 1);
    expect(again.phase).toBe(0);
    expect(tracker.admit(T, D, 'job-init', 1)).toBe(again);
  });
});

describe('keys: tenant, director, job id', () => {
  it('the same job id of another director or tenant is another job', () => {
    const tracker = new JobTracker();
    const a = tracker.admit(T, D, 'job-start', 1);
    const b = tracker.admit(T, 'dir2', 'job-start', 1);
    const c = tracker.admit('other', D, 'job-start', 1);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(tracker.size).toBe(3);
    tracker.admit(T, D, 'job-init', 1);
    // dir2's job 1 is still before JobInit.
    expect(tracker.admit(T, 'dir2', 'job-init', 1)).toBe(b);
    refusal(() => tracker.admit(T, 'dir3', 'job-init', 1), 'not-found');
  });
});

describe('forgetDirector (Exit)', () => {
  it('forgets every job of that director of that tenant, and only those', () => {
    const tracker = new JobTracker();
    for (const id of [1, 2, 3]) tracker.admit(T, D, 'job-start', id);
    tracker.admit(T, 'dir2', 'job-start', 1);
    tracker.admit('other', D, 'job-start', 1);
    // A director whose name starts with dir1's is another director, even with a separator character in it.
    tracker.admit(T, 'dir10', 'job-start', 1);
    tracker.admit(T, `${D}\u00005`, 'job-start', 1);

    tracker.forgetDirector(T, D);
    expect(tracker.size).toBe(4);
    expect(tracker.admit(T, `${D}\u00005`, 'job-run', 1).jobId).toBe(1);
    for (const id of [1, 2, 3]) refusal(() => tracker.admit(T, D, 'job-run', id), 'not-found');
    expect(tracker.admit(T, 'dir2', 'job-run', 1).jobId).toBe(1);
    expect(tracker.admit('other', D, 'job-run', 1).jobId).toBe(1);
    expect(tracker.admit(T, 'dir10', 'job-run', 1).jobId).toBe(1);
    // The forgotten jobs may start again.
    expect(tracker.admit(T, D, 'job-start', 2).phase).toBe(0);
  });

  it('of a director with no jobs changes nothing', () => {
    const tracker = through(['job-start']);
    tracker.forgetDirector(T, 'nobody');
    expect(tracker.size).toBe(1);
  });
});
