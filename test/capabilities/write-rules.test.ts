// When and what a hook may write: every event against every write, the value
// ranges, and the volume-name rules Bacula applies.
import { describe, expect, it } from 'vitest';
import { checkLevel, checkPriority, checkVolumeName } from '../../src/capabilities/write-rules.js';
import { BACULA_EVENT_NAMES, EVENTS, LEVEL_NAMES, type EventName } from '../../src/model/enums.js';

const PRIORITY_AT: EventName[] = ['job-start', 'job-init', 'job-run'];
const LEVEL_AT: EventName[] = ['job-init'];
const VOLUME_AT: EventName[] = ['new-volume'];

describe('every event × every write', () => {
  it.each([...EVENTS])('at %s', (event) => {
    const at = BACULA_EVENT_NAMES[event];

    const p = checkPriority(event, 50);
    if (PRIORITY_AT.includes(event)) expect(p).toBeUndefined();
    else expect(p).toEqual({ tag: 'wrong-time', val: `Priority can be set only before the job runs (JobStart, JobInit, JobRun), not at ${at}` });

    const l = checkLevel(event, 'full');
    if (LEVEL_AT.includes(event)) expect(l).toBeUndefined();
    else expect(l).toEqual({ tag: 'wrong-time', val: `Level can be set only during JobInit, not at ${at}` });

    const v = checkVolumeName(event, 'Vol-0001');
    if (VOLUME_AT.includes(event)) expect(v).toBeUndefined();
    else expect(v).toEqual({ tag: 'wrong-time', val: `VolumeName can be set only during NewVolume, not at ${at}` });
  });

  it('the time is checked before the value: a bad value at the wrong time is wrong-time', () => {
    expect(checkPriority('job-end', 0)?.tag).toBe('wrong-time');
    expect(checkVolumeName('job-run', '')?.tag).toBe('wrong-time');
  });
});

describe('priority', () => {
  it.each([1, 2, 50, 99, 100])('%d is accepted', (p) => {
    for (const e of PRIORITY_AT) expect(checkPriority(e, p)).toBeUndefined();
  });

  it.each([0, 101, -1, 1.5, Number.NaN, 4294967295])('%d is out of range', (p) => {
    expect(checkPriority('job-init', p)).toEqual({ tag: 'out-of-range', val: `Priority must be 1..100, got ${p}` });
  });
});

describe('level', () => {
  it.each([...LEVEL_NAMES])('%s may be set at JobInit', (level) => {
    expect(checkLevel('job-init', level)).toBeUndefined();
    expect(checkLevel('job-run', level)?.tag).toBe('wrong-time');
  });
});

describe('volume name', () => {
  it.each(['V', 'Vol-0001', 'full pool.2025:01_x', 'A'.repeat(127), '0123456789'])('%j is accepted', (name) => {
    expect(checkVolumeName('new-volume', name)).toBeUndefined();
  });

  it('must not be empty', () => {
    expect(checkVolumeName('new-volume', '')).toEqual({ tag: 'out-of-range', val: 'VolumeName must not be empty' });
  });

  it('is at most 127 bytes, counted in UTF-8 bytes, not characters', () => {
    const tooLong = { tag: 'out-of-range', val: 'VolumeName is longer than 127 bytes' };
    expect(checkVolumeName('new-volume', 'A'.repeat(128))).toEqual(tooLong);
    // 64 characters, 128 bytes: refused for its length before its charset.
    expect(checkVolumeName('new-volume', 'é'.repeat(64))).toEqual(tooLong);
  });

  it.each(['bad/name', 'back\\slash', 'star*', 'quote"', "apos'", 'semi;colon', 'tab\there', 'new\nline', 'é', 'emoji😀', 'a,b', 'pipe|'])(
    '%j has characters Bacula refuses',
    (name) => {
      expect(checkVolumeName('new-volume', name)).toEqual({
        tag: 'out-of-range',
        val: `VolumeName ${JSON.stringify(name)} has characters Bacula refuses (allowed: letters, digits, " -_.:")`,
      });
    },
  );
});
