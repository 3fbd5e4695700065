// Graceful shutdown of the real hookd on SIGTERM (or SIGINT), over real gRPC: health goes
// NOT_SERVING at once, nothing new is admitted (UNAVAILABLE, saying it is
// draining), the events in flight finish, those still running at the drain
// timeout are answered UNAVAILABLE, every event gets exactly one answer, and
// the process exits 0. The slow hook is director-call-loop.c: its JobStart
// waits on the director's answer, which this test holds for as long as it
// likes; the tenant's one hook thread runs one event at a time, so the events
// behind it wait, admitted, in its queue.
import { afterEach, describe, expect, it } from 'vitest';
import { bacula } from '../../src/gen/hooks-proto.js';
import { encodeDaemon, encodeEvent } from '../../src/wire/codec.js';
import { AdminClient } from '../../src/client/admin-client.js';
import { DispatchClient } from '../../src/client/dispatch-client.js';
import { DirectorSessionClient } from '../../src/client/director-client.js';
import { DAEMON, fixture, testJob } from '../helpers/service.js';
import { RawSession, failureOf } from '../helpers/raw-grpc.js';
import { Hookd, healthCheck, healthWatch } from '../helpers/hookd-process.js';

import pb = bacula.hooks.v1;

const running: Hookd[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((h) => h.cleanup()));
});

async function hookdWithSlowHook(drainTimeoutMs: number) {
  const h = await Hookd.start({ auth: { unauthenticatedTenant: 'ops' }, shutdown: { drainTimeoutMs }, limits: { defaults: { deadlineMs: 60_000 } } });
  running.push(h);
  const admin = new AdminClient(h.address);
  await admin.register({ name: 'asks-the-director', component: fixture('director-call-loop.c'), events: ['job-start', 'job-end'] });
  admin.close();
  const raw = new RawSession(h.address);
  await raw.hello(encodeDaemon(DAEMON));
  return { h, raw };
}

/** A JobStart whose hook asks the director `priority` times (1-100, a valid Bacula priority). */
const jobStart = (id: string, priority: number): pb.IDirectorMessage => ({ event: encodeEvent({ id, type: 'job-start', job: testJob({ priority }) }) });

/** Every message of the session until it ends, by event id, and the calls the hooks made. */
async function readAll(raw: RawSession, onCall: (c: pb.IDirectorCall) => void = () => {}, onMessage: (m: pb.ServiceMessage) => void = () => {}) {
  const answers = new Map<string, { kind: 'outcome' | 'rejected'; code?: number; message?: string; at: number; outcome?: pb.IEventOutcome }[]>();
  const add = (id: string, a: (typeof answers extends Map<string, (infer T)[]> ? T : never)) => answers.set(id, [...(answers.get(id) ?? []), a]);
  for (;;) {
    let m: pb.ServiceMessage;
    try {
      m = await raw.next(30_000);
    } catch {
      return answers;
    }
    onMessage(m);
    if (m.outcome) add(m.outcome.eventId!, { kind: 'outcome', at: performance.now(), outcome: m.outcome });
    else if (m.rejected) add(m.rejected.eventId!, { kind: 'rejected', code: m.rejected.code!, message: m.rejected.message!, at: performance.now() });
    else if (m.call) onCall(m.call);
  }
}

describe('SIGTERM and SIGINT drain', () => {
  it('NOT_SERVING at once; new work UNAVAILABLE; the event that finishes answered, those still running or queued at the timeout UNAVAILABLE; exit 0', async () => {
    const DRAIN_MS = 4_000;
    const { h, raw } = await hookdWithSlowHook(DRAIN_MS);
    const calls = new Map<string, pb.IDirectorCall>();
    let answers: Awaited<ReturnType<typeof readAll>> | undefined;
    void readAll(raw, (c) => { calls.set(c.eventId!, c); }).then((a) => { answers = a; });
    raw.write(jobStart('finishes', 1));
    raw.write(jobStart('outlasts-the-drain', 1));
    raw.write(jobStart('queued', 1));
    await expect.poll(() => calls.has('finishes')).toBe(true); // its hook waits on the director; the other two wait behind it

    const watch = healthWatch(h.address);
    await expect.poll(() => watch.statuses.map((s) => s.status)).toEqual(['SERVING']);
    const sigterm = performance.now();
    h.signal('SIGTERM');
    await expect.poll(() => watch.statuses.map((s) => s.status), { timeout: 5_000 }).toEqual(['SERVING', 'NOT_SERVING']);
    const notServingAfter = watch.statuses[1].at - sigterm;
    for (const s of ['bacula.hooks.v1.DirectorSession', 'bacula.hooks.v1.Dispatch', 'bacula.hooks.v1.Admin']) expect(await healthCheck(h.address, s)).toBe('NOT_SERVING');

    // Nothing new: an event on the open session, a unary dispatch, a new session, an admin call.
    raw.write(jobStart('too-late', 1));
    const dispatch = new DispatchClient(h.address);
    const admin = new AdminClient(h.address);
    const unary = await failureOf(dispatch.dispatch(DAEMON, { id: 'unary', type: 'job-start', job: testJob() }));
    const session = await failureOf(DirectorSessionClient.open(h.address, { daemon: DAEMON }));
    const list = await failureOf(admin.list());
    dispatch.close();
    admin.close();
    for (const f of [unary, session, list]) {
      expect(f.codeName).toBe('UNAVAILABLE');
      expect(f.details).toContain('hookd is draining for a shutdown: not accepted here, send it again to another instance');
    }

    // The director answers the first hook; the second then asks, and its answer never comes.
    raw.write({ callReply: { callId: calls.get('finishes')!.callId, volumeExists: true } });
    await expect.poll(() => calls.has('outlasts-the-drain')).toBe(true);
    const status = await raw.ended;
    const exit = await h.exited;
    await expect.poll(() => answers !== undefined).toBe(true);
    watch.cancel();

    expect(status.codeName).toBe('UNAVAILABLE');
    expect(status.details).toContain('hookd is draining');
    expect([...answers!.keys()].sort()).toEqual(['finishes', 'outlasts-the-drain', 'queued', 'too-late']);
    for (const [id, list] of answers!) expect(list, id).toHaveLength(1); // one answer each, never two
    const finished = answers!.get('finishes')![0];
    expect(finished.kind).toBe('outcome');
    expect(finished.outcome!.report).toEqual(['director-call-loop: 1 calls, 1 exist']);
    expect(answers!.get('too-late')![0]).toMatchObject({ kind: 'rejected', code: 14 });
    const late = answers!.get('outlasts-the-drain')![0];
    expect(late).toMatchObject({ kind: 'rejected', code: 14 });
    expect(late.message).toContain(`it was still running when the drain timeout (${DRAIN_MS} ms) ran out, and its result will not be sent`);
    expect(answers!.get('queued')![0]).toMatchObject({ kind: 'rejected', code: 14, message: late.message });
    expect(calls.has('queued')).toBe(false); // answered UNAVAILABLE, it never reached the director
    const unavailableAfter = late.at - sigterm;
    expect(unavailableAfter).toBeGreaterThanOrEqual(DRAIN_MS - 50);
    expect(unavailableAfter).toBeLessThan(DRAIN_MS + 2_000);
    expect(exit.code).toBe(0);
    expect(h.text).toMatch(/drained in \d+ ms: 1 finished, 2 answered UNAVAILABLE; stopped/);
    console.log(`[drain timings] NOT_SERVING ${notServingAfter.toFixed(0)} ms after SIGTERM; the held event UNAVAILABLE after ${unavailableAfter.toFixed(0)} ms (drain ${DRAIN_MS}); exit after ${(exit.at - sigterm).toFixed(0)} ms`);
  });

  it('SIGINT the same: ends as soon as the events in flight are answered, well before the timeout', async () => {
    const DRAIN_MS = 20_000;
    const { h, raw } = await hookdWithSlowHook(DRAIN_MS);
    let answers: Awaited<ReturnType<typeof readAll>> | undefined;
    let call: pb.IDirectorCall | undefined;
    const done = readAll(raw, (c) => { call = c; }).then((a) => { answers = a; });
    raw.write(jobStart('held', 1));
    await expect.poll(() => call).toBeDefined();
    const sigint = performance.now();
    h.signal('SIGINT');
    await h.waitForLog(/SIGINT: draining/);
    await new Promise((r) => setTimeout(r, 500));
    raw.write({ callReply: { callId: call!.callId, volumeExists: false } });
    const exit = await h.exited;
    await done;
    expect(exit.code).toBe(0);
    expect(answers!.get('held')).toHaveLength(1);
    expect(answers!.get('held')![0].outcome!.report).toEqual(['director-call-loop: 1 calls, 0 exist']);
    const took = exit.at - sigint;
    expect(took).toBeLessThan(5_000);
    console.log(`[drain timings] one event answered 500 ms into a ${DRAIN_MS} ms drain: exit ${took.toFixed(0)} ms after SIGINT`);
  });

  it('under a steady stream of events: none answered twice; every event admitted (its hook ran) answered exactly once; none admitted after the drain began', async () => {
    const { h, raw } = await hookdWithSlowHook(5_000);
    const called = new Set<string>();
    let stop = false;
    let answers: Awaited<ReturnType<typeof readAll>> | undefined;
    // The director answers every hook at once, and stops sending at the first refusal or when the session ends
    // (as a director that retries elsewhere would).
    const done = readAll(raw, (c) => {
      called.add(c.eventId!);
      raw.write({ callReply: { callId: c.callId, volumeExists: true } });
    }, (m) => { if (m.rejected) stop = true; }).then((a) => { answers = a; });
    void raw.ended.then(() => { stop = true; });
    const sent: string[] = [];
    const sender = (async () => {
      for (let i = 0; !stop && i < 3_000; i++) {
        const id = `e${i}`;
        sent.push(id);
        raw.write(jobStart(id, 1));
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await expect.poll(() => sent.length, { timeout: 10_000 }).toBeGreaterThan(50);
    h.signal('SIGTERM');
    await sender;
    const exit = await h.exited;
    await done;
    expect(exit.code).toBe(0);
    const got = sent.map((id) => answers!.get(id) ?? []);
    expect(got.filter((a) => a.length > 1)).toEqual([]); // none doubled
    // The first event without an outcome is where admission stopped (refused, or sent as the session ended).
    // On a quiet machine the session can end before the next send: then every event sent has its outcome.
    const firstUnanswered = got.findIndex((a) => a[0]?.kind !== 'outcome');
    const cut = firstUnanswered === -1 ? got.length : firstUnanswered;
    expect(cut).toBeGreaterThan(10);
    // Before it, every event was admitted, ran (its hook asked the director) and has its outcome: none lost.
    for (const id of sent.slice(0, cut)) expect(called.has(id), id).toBe(true);
    // From it on, nothing was admitted: refused UNAVAILABLE, or unanswered on the ended session, and never run.
    for (const [i, a] of got.slice(cut).entries()) {
      const id = sent[cut + i];
      expect(called.has(id), id).toBe(false);
      if (a.length) expect(a[0], id).toMatchObject({ kind: 'rejected', code: 14 });
    }
    const tail = got.slice(cut);
    console.log(`[drain] steady stream: ${cut} outcomes, then ${tail.filter((a) => a.length).length} UNAVAILABLE and ${tail.filter((a) => !a.length).length} sent as the session ended`);
  });
});
