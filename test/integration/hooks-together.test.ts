// What does not depend on a hook's language: several hooks on one event, an
// event a hook is not registered for, Exit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestService, testJob, type TestService } from '../helpers/service.js';

let t: TestService;
beforeAll(async () => { t = await startTestService(); });
afterAll(() => t.cleanup());

describe('several hooks on one event', () => {
  it('run in order (order field, then registration) and each sees the writes of those before it', async () => {
    const a = await t.admin.register({ name: 'second', component: fixture('conformance.ts'), order: 20 });
    const b = await t.admin.register({ name: 'first', component: fixture('conformance.ts'), order: 10 });
    const c = await t.admin.register({ name: 'third', component: fixture('conformance.ts'), order: 20 });
    const s = await t.session();
    const start = await s.send({ type: 'job-start', job: testJob({ priority: 10 }) });
    expect(start.hooks.map((h) => h.hookId)).toEqual([b.id, a.id, c.id]);
    // Each hook raises the priority by one from what it reads: 10 -> 11 -> 12 -> 13.
    expect(start.report.filter((l) => l.startsWith('priority now'))).toEqual(['priority now 11', 'priority now 12', 'priority now 13']);
    expect(start.writes.priority).toBe(13);
    for (const h of [a, b, c]) await t.admin.remove(h.id);
  });
});

describe('registration events', () => {
  it('a hook registered without an event is never entered for it', async () => {
    const h = await t.admin.register({ name: 'startonly', component: fixture('conformance.ts'), events: ['job-start'] });
    const s = await t.session();
    const job = testJob();
    expect((await s.send({ type: 'job-start', job })).hooks).toHaveLength(1);
    expect((await s.send({ type: 'job-init', job })).hooks).toHaveLength(0);
    expect((await s.send({ type: 'job-end', job })).hooks).toHaveLength(0);
    expect((await s.send({ type: 'exit' })).hooks).toHaveLength(0);
    await t.admin.remove(h.id);
  });
});

describe('Exit', () => {
  it('runs the hooks registered for it and ends the director\'s jobs', async () => {
    const h = await t.admin.register({ name: 'conformance', component: fixture('conformance.ts') });
    const s = await t.session();
    const job = testJob();
    await s.send({ type: 'job-start', job });
    const exit = await s.send({ type: 'exit' });
    expect(exit.hooks.map((x) => [x.hookName, x.status])).toEqual([['conformance', 'ok']]);
    expect(exit.jobId).toBe(0);
    await expect(s.send({ type: 'job-end', job })).rejects.toMatchObject({ codeName: 'NOT_FOUND' });
    await t.admin.remove(h.id);
  });
});
