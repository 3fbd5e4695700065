// The admin API over real gRPC: registering real components (and refusing bad
// ones with a reason), get/list/enable/remove/reload, and what survives a restart.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { componentWit } from '@bytecodealliance/jco';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAEMON, fixture, startTestService, testJob, type TestService } from '../helpers/service.js';
import { RawAdmin, failureOf } from '../helpers/raw-grpc.js';
import { attributeBlock } from '../helpers/report.js';
import {
  coreModule, dummyComponent, otherWorldComponent, padTo, trappingHookComponent, wasiImportingComponent,
} from '../helpers/components.js';
import { EVENT_NAMES, type EventName } from '../../src/model/enums.js';
import type { HookInfo } from '../../src/client/admin-client.js';
import type { EventOutcome } from '../../src/model/outcome.js';
import type { JobSnapshot } from '../../src/model/job.js';
import { bacula } from '../../src/gen/hooks-proto.js';

import pb = bacula.hooks.v1;

const HOST_IMPORTS = ['types', 'job', 'daemon', 'director', 'diagnostics'].map((i) => `bacula:hooks/${i}@1.0.0`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let t: TestService;
let conformanceBytes: Uint8Array;
let trapBytes: Uint8Array;
/** conformance.wasm, registered once with non-default settings. */
let conformance: HookInfo;

let nextEvent = 1;
const send = (type: EventName, job: JobSnapshot): Promise<EventOutcome> =>
  t.dispatch.dispatch(DAEMON, { id: `reg-${nextEvent++}`, type, job });
const hookIn = (o: EventOutcome, id: string) => o.hooks.find((h) => h.hookId === id);
/** Whether the service's store holds these component bytes. */
const stored = (bytes: Uint8Array) => existsSync(join(t.dataDir, 'components', `${sha256(bytes)}.wasm`));

beforeAll(async () => {
  t = await startTestService();
  conformanceBytes = fixture('conformance.ts');
  trapBytes = await trappingHookComponent();
  conformance = await t.admin.register({
    name: 'conformance', component: conformanceBytes, order: 5, failurePolicy: 'fail-closed', grantCatalogPassword: true,
  });
});

afterAll(async () => {
  await t?.cleanup();
});

describe('Register a real component (conformance.wasm)', () => {
  it('returns the hook: a fresh id, the name, sha256 and size of the bytes, all seven events, the settings, enabled, generation 1', () => {
    expect(conformance.id).toMatch(UUID);
    expect(conformance.name).toBe('conformance');
    expect(conformance.sha256).toBe(sha256(conformanceBytes));
    expect(conformance.size).toBe(conformanceBytes.length);
    expect(conformance.events).toEqual(EVENT_NAMES);
    expect(conformance.events).toHaveLength(7);
    expect(conformance).toMatchObject({ order: 5, failurePolicy: 'fail-closed', grantCatalogPassword: true, enabled: true, generation: 1 });
    expect(Math.abs(Date.parse(conformance.createdAt) - Date.now())).toBeLessThan(5 * 60_000);
  });

  it('lists as imports exactly the host interfaces the component imports', async () => {
    // conformance.ts is built against the current 1.2.0 world, whose every interface componentize-js imports (metrics too).
    expect([...conformance.imports].sort()).toEqual([...HOST_IMPORTS, 'bacula:hooks/metrics@1.0.0'].map((i) => i.replace('@1.0.0', '@1.2.0')).sort());
    const wit = await componentWit(conformanceBytes);
    for (const i of conformance.imports) expect(wit).toContain(`import ${i};`);
  });

  it('runs on an event, with its settings in effect (fail-closed flag, catalog password granted)', async () => {
    const o = await send('job-start', testJob());
    const h = hookIn(o, conformance.id);
    expect(h, 'the conformance hook was entered').toBeDefined();
    expect(h!.status).toBe('ok');
    expect(h!.hookName).toBe('conformance');
    expect(h!.failClosed).toBe(true);
    expect(h!.report).toContain('seen job-start');
    expect(h!.subscription).toEqual({ jobInit: true, jobRun: true, newVolume: true, volumePurged: true });
    expect(attributeBlock(h!.report, 'attr')['catalog-res']).toBe('bacula,db.example,bacula,s3cret,/run/pg.sock,5432,postgresql');
  });

  it('without settings: fail-open, order 0, no password grant; an event list is deduplicated and put in event order', async () => {
    const raw = new RawAdmin(t.svc.address);
    try {
      // EVENT_TYPE_JOB_END = 6, EVENT_TYPE_JOB_START = 1; no settings at all.
      const h = await raw.register({ name: 'defaults', component: trapBytes, events: [6, 1, 6] });
      expect(h.events).toEqual([1, 6]);
      expect(h.settings).toMatchObject({ order: 0, failurePolicy: 1, grantCatalogPassword: false });
      expect(h.enabled).toBe(true);
      await t.admin.remove(h.id);
    } finally {
      raw.close();
    }
  });
});

describe('Register: refusals name the reason, and the service goes on', () => {
  const before: string[] = [];
  beforeAll(async () => {
    before.push(...(await t.admin.list()).map((h) => h.id));
  });

  it('random bytes: INVALID_ARGUMENT, not WebAssembly', async () => {
    const bytes = randomBytes(4096);
    const f = await failureOf(t.admin.register({ name: 'refused', component: bytes }));
    expect(f.code).toBe(status.INVALID_ARGUMENT);
    expect(f.details).toContain('not WebAssembly');
    expect(stored(bytes)).toBe(false);
  });

  it('a core module: INVALID_ARGUMENT, a core WebAssembly module, not a component', async () => {
    const f = await failureOf(t.admin.register({ name: 'refused', component: await coreModule() }));
    expect(f.code).toBe(status.INVALID_ARGUMENT);
    expect(f.details).toContain('core WebAssembly module, not a component');
  });

  it('a component of another world: INVALID_ARGUMENT, does not export bacula:hooks/events (and what it does export)', async () => {
    const bytes = await otherWorldComponent();
    const f = await failureOf(t.admin.register({ name: 'refused', component: bytes }));
    expect(f.code).toBe(status.INVALID_ARGUMENT);
    expect(f.details).toContain('does not export bacula:hooks/events');
    expect(f.details).toContain('it exports: run');
    expect(stored(bytes)).toBe(false);
  });

  it('a component importing wasi:filesystem/types@0.2.3 next to our events export: INVALID_ARGUMENT naming only that import', async () => {
    const bytes = await wasiImportingComponent();
    // The component is otherwise one of ours: it does export our events interface.
    expect(await componentWit(bytes)).toContain('export bacula:hooks/events@1.0.0;');
    const f = await failureOf(t.admin.register({ name: 'refused', component: bytes }));
    expect(f.code).toBe(status.INVALID_ARGUMENT);
    expect(f.details).toMatch(/imports outside the hook world \S+: wasi:filesystem\/types@0\.2\.3 \(/);
    expect(stored(bytes)).toBe(false);
  });

  it('a component exporting an events interface without the event functions: INVALID_ARGUMENT, does not instantiate as a hook', async () => {
    // Same interface name and version as ours, but only `exit` in it: the world
    // checks pass, instantiation finds the missing exports.
    const witSource = [
      'package test:partial@1.0.0;',
      'world partial { export bacula:hooks/events@1.0.0; }',
      'package bacula:hooks@1.0.0 { interface events { exit: func() -> result<_, string>; } }',
    ].join('\n');
    const component = await dummyComponent(witSource, 'partial');
    const f = await failureOf(t.admin.register({ name: 'refused', component }));
    expect(f.code).toBe(status.INVALID_ARGUMENT);
    expect(f.details).toContain('does not instantiate as a hook');
    expect(f.details).toContain('jobStart');
    // Refused after transpiling: neither the component nor its transpiled glue is kept.
    expect(stored(component)).toBe(false);
    expect(readdirSync(join(t.dataDir, 'transpiled')).filter((d) => d.startsWith(sha256(component)))).toEqual([]);
  });

  it('an empty component: INVALID_ARGUMENT', async () => {
    const f = await failureOf(t.admin.register({ name: 'refused', component: new Uint8Array(0) }));
    expect(f.code).toBe(status.INVALID_ARGUMENT);
    expect(f.details).toContain('component bytes are empty');
  });

  it.each(['', 'Upper', '-dash-first', 'has space', 'slash/name', 'a'.repeat(64), 'ünïcode'])(
    'the name %j: INVALID_ARGUMENT, not a hook name',
    async (name) => {
      const f = await failureOf(t.admin.register({ name, component: trapBytes }));
      expect(f.code).toBe(status.INVALID_ARGUMENT);
      expect(f.details).toContain(`${JSON.stringify(name)} is not a hook name`);
    },
  );

  it('a name already registered: ALREADY_EXISTS', async () => {
    const f = await failureOf(t.admin.register({ name: 'conformance', component: trapBytes }));
    expect(f.code).toBe(status.ALREADY_EXISTS);
    expect(f.details).toContain('a hook named "conformance" is already registered');
  });

  it('two registrations of one new name at once: one wins, the other gets ALREADY_EXISTS', async () => {
    const results = await Promise.allSettled([
      t.admin.register({ name: 'twin', component: trapBytes }),
      t.admin.register({ name: 'twin', component: trapBytes }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<HookInfo>[];
    const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason.code).toBe(status.ALREADY_EXISTS);
    expect((await t.admin.list()).filter((h) => h.name === 'twin')).toHaveLength(1);
    await t.admin.remove(won[0].value.id);
  });

  it('an event number that is no EventType, or an unknown failure policy: INVALID_ARGUMENT naming the field', async () => {
    const raw = new RawAdmin(t.svc.address);
    try {
      let f = await failureOf(raw.register({ name: 'refused', component: trapBytes, events: [99 as pb.EventType] }));
      expect(f.code).toBe(status.INVALID_ARGUMENT);
      expect(f.details).toContain('events[0]: 99 is not an EventType');
      f = await failureOf(raw.register({ name: 'refused', component: trapBytes, events: [1, 0] }));
      expect(f.code).toBe(status.INVALID_ARGUMENT);
      expect(f.details).toContain('events[1]: 0 is not an EventType');
      f = await failureOf(raw.register({ name: 'refused', component: trapBytes, settings: { failurePolicy: 3 as pb.FailurePolicy } }));
      expect(f.code).toBe(status.INVALID_ARGUMENT);
      expect(f.details).toContain('settings.failure_policy: 3 is not a FailurePolicy');
    } finally {
      raw.close();
    }
  });

  it('afterwards nothing was registered, and the refused name registers a good component that runs', async () => {
    expect((await t.admin.list()).map((h) => h.id)).toEqual(before);
    const h = await t.admin.register({ name: 'refused', component: trapBytes, events: ['job-start'] });
    expect(h.name).toBe('refused');
    const o = await send('job-start', testJob());
    expect(hookIn(o, h.id)).toBeDefined();
    expect(hookIn(o, conformance.id)?.status).toBe('ok');
    await t.admin.remove(h.id);
  });
});

describe('Register: the component size limit', () => {
  let small: TestService;
  const LIMIT = 1024 * 1024;

  beforeAll(async () => {
    small = await startTestService({ maxComponentBytes: LIMIT });
  });
  afterAll(async () => {
    await small?.cleanup();
  });

  it('a valid component over maxComponentBytes: RESOURCE_EXHAUSTED, over the limit; the same bytes register where the limit allows', async () => {
    const big = padTo(trapBytes, LIMIT + LIMIT / 2);
    const f = await failureOf(small.admin.register({ name: 'big', component: big }));
    expect(f.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(f.details).toContain('over the limit');
    expect(f.details).toContain(`${big.length} bytes`);
    expect(f.details).toContain('1.0 MiB');
    const h = await t.admin.register({ name: 'big', component: big, events: ['exit'] });
    expect(h.size).toBe(big.length);
    await t.admin.remove(h.id);
  });

  it('exactly maxComponentBytes is accepted', async () => {
    const h = await small.admin.register({ name: 'at-limit', component: padTo(trapBytes, LIMIT) });
    expect(h.size).toBe(LIMIT);
  });

  it('a component larger than the gRPC message limit (twice the limit + 1 MiB) is refused by the transport with RESOURCE_EXHAUSTED; the service goes on', async () => {
    const f = await failureOf(small.admin.register({ name: 'huge', component: conformanceBytes }));
    expect(f.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(f.details).toMatch(/larger than max/i);
    expect((await small.admin.list()).map((h) => h.name)).toEqual(['at-limit']);
  });
});

describe('A component of the hook world whose every export traps', () => {
  let trapper: HookInfo;

  beforeAll(async () => {
    trapper = await t.admin.register({ name: 'trapper', component: trapBytes });
  });
  afterAll(async () => {
    await t.admin.remove(trapper.id).catch(() => undefined);
  });

  it('passes the world checks: it imports the host interfaces and exports the events', () => {
    expect([...trapper.imports].sort()).toEqual([...HOST_IMPORTS].sort());
    expect(trapper.events).toEqual(EVENT_NAMES);
  });

  it('an event gets a failed HookOutcome whose message is the trap; the other hook still runs; the next event gets an outcome too', async () => {
    for (let round = 0; round < 2; round++) {
      const o = await send('job-start', testJob());
      const h = hookIn(o, trapper.id);
      expect(h?.status).toBe('failed');
      expect(h!.message).toMatch(/^trap: /);
      expect(h!.message).toContain('unreachable');
      expect(h!.failClosed).toBe(false);
      // Order 0 runs before conformance (order 5), which is still entered and ok.
      expect(o.hooks.map((x) => x.hookId)).toEqual([trapper.id, conformance.id]);
      expect(hookIn(o, conformance.id)?.status).toBe('ok');
      expect(o.failJob).toBe(false);
    }
  });
});

describe('get, list, setEnabled, remove', () => {
  it('get returns the registered hook; list returns every hook in registration order', async () => {
    expect(await t.admin.get(conformance.id)).toEqual(conformance);
    const second = await t.admin.register({ name: 'second', component: trapBytes, events: ['exit'] });
    try {
      const names = (await t.admin.list()).map((h) => h.name);
      expect(names.indexOf('conformance')).toBeLessThan(names.indexOf('second'));
      expect(names.filter((n) => n === 'second')).toHaveLength(1);
    } finally {
      await t.admin.remove(second.id);
    }
  });

  it('a disabled hook is not entered; enabled again, it is', async () => {
    const off = await t.admin.setEnabled(conformance.id, false);
    expect(off).toEqual({ ...conformance, enabled: false });
    expect((await t.admin.get(conformance.id)).enabled).toBe(false);
    expect(hookIn(await send('job-start', testJob()), conformance.id)).toBeUndefined();

    const on = await t.admin.setEnabled(conformance.id, true);
    expect(on.enabled).toBe(true);
    const h = hookIn(await send('job-start', testJob()), conformance.id);
    expect(h?.status).toBe('ok');
    expect(h!.report).toContain('seen job-start');
  });

  it('a removed hook is gone: get is NOT_FOUND, list omits it, events no longer enter it', async () => {
    const doomed = await t.admin.register({ name: 'doomed', component: trapBytes, events: ['job-start'] });
    expect(hookIn(await send('job-start', testJob()), doomed.id)).toBeDefined();

    await t.admin.remove(doomed.id);
    const f = await failureOf(t.admin.get(doomed.id));
    expect(f.code).toBe(status.NOT_FOUND);
    expect(f.details).toContain(`no hook with id "${doomed.id}"`);
    expect((await t.admin.list()).map((h) => h.id)).not.toContain(doomed.id);
    const o = await send('job-start', testJob());
    expect(hookIn(o, doomed.id)).toBeUndefined();
    expect(hookIn(o, conformance.id)?.status).toBe('ok');
    // The name is free again.
    const again = await t.admin.register({ name: 'doomed', component: trapBytes, events: ['exit'] });
    expect(again.id).not.toBe(doomed.id);
    await t.admin.remove(again.id);
  });

  it('removing the last hook of a component deletes the component and its transpiled glue; a shared one stays', async () => {
    const own = padTo(trapBytes, trapBytes.length + 64); // bytes no other hook uses
    const a = await t.admin.register({ name: 'own-a', component: own, events: ['exit'] });
    const b = await t.admin.register({ name: 'own-b', component: own, events: ['exit'] });
    const glue = () => readdirSync(join(t.dataDir, 'transpiled')).filter((d) => d.startsWith(sha256(own)));
    expect(stored(own)).toBe(true);
    expect(glue()).toHaveLength(1);
    await t.admin.remove(a.id);
    expect(stored(own)).toBe(true);
    await t.admin.remove(b.id);
    expect(stored(own)).toBe(false);
    expect(glue()).toEqual([]);
  });

  it('setEnabled, reload and remove of one hook at once: the removal wins, nothing brings the hook back', async () => {
    for (let i = 0; i < 5; i++) {
      const h = await t.admin.register({ name: `racer-${i}`, component: trapBytes, events: ['exit'] });
      const results = await Promise.allSettled([t.admin.setEnabled(h.id, false), t.admin.reload(h.id), t.admin.remove(h.id)]);
      expect(results[2].status).toBe('fulfilled');
      expect((await t.admin.list()).map((x) => x.id)).not.toContain(h.id);
      expect((await failureOf(t.admin.get(h.id))).code).toBe(status.NOT_FOUND);
      const saved = JSON.parse(readFileSync(join(t.dataDir, 'hooks.json'), 'utf8')).hooks.map((x: { id: string }) => x.id);
      expect(saved).not.toContain(h.id);
    }
  });

  it.each(['get', 'remove', 'setEnabled', 'reload'] as const)('%s of an unknown id: NOT_FOUND, no hook with id', async (op) => {
    const id = randomUUID();
    const call = op === 'setEnabled' ? t.admin.setEnabled(id, true) : t.admin[op](id);
    const f = await failureOf(call);
    expect(f.code).toBe(status.NOT_FOUND);
    expect(f.details).toContain(`no hook with id "${id}"`);
  });
});

describe('reload', () => {
  it('bumps the generation and starts the hook afresh: a job in progress keeps its subscription, the hook forgets what it saw', async () => {
    const job = testJob();
    const seenLine = (o: EventOutcome) => hookIn(o, conformance.id)?.report.find((l) => l.startsWith('seen '));
    const gen = (await t.admin.get(conformance.id)).generation;

    expect(seenLine(await send('job-start', job))).toBe('seen job-start');
    // Within one generation the hook's state accumulates ...
    expect(seenLine(await send('job-init', job))).toBe('seen job-start,job-init');

    const reloaded = await t.admin.reload(conformance.id);
    expect(reloaded).toHaveLength(1);
    expect(reloaded[0].id).toBe(conformance.id);
    expect(reloaded[0].generation).toBe(gen + 1);
    expect(await t.admin.get(conformance.id)).toEqual(reloaded[0]);

    // ... after the reload the new instance starts from nothing, yet it is still
    // entered for JobRun: the subscription made at JobStart belongs to the job.
    expect(seenLine(await send('job-run', job))).toBe('seen job-run');
    expect(seenLine(await send('job-end', job))).toBe('seen job-run,job-end');
  });

  it('reload without an id reloads every hook', async () => {
    const extra = await t.admin.register({ name: 'extra', component: trapBytes, events: ['exit'] });
    try {
      const before = await t.admin.list();
      const after = await t.admin.reload();
      expect(after.map((h) => h.id)).toEqual(before.map((h) => h.id));
      expect(after.map((h) => h.generation)).toEqual(before.map((h) => h.generation + 1));
    } finally {
      await t.admin.remove(extra.id);
    }
  });
});

describe('persistence across a restart', () => {
  it('one stored file for the same bytes under two names; after a restart the hooks are listed as before and run', async () => {
    const copy = await t.admin.register({ name: 'copy', component: conformanceBytes, events: ['job-start'] });
    expect(copy.sha256).toBe(conformance.sha256);
    const files = readdirSync(join(t.dataDir, 'components')).filter((f) => f.startsWith(conformance.sha256));
    expect(files).toEqual([`${conformance.sha256}.wasm`]);
    expect(sha256(readFileSync(join(t.dataDir, 'components', files[0])))).toBe(conformance.sha256);
    await t.admin.setEnabled(copy.id, false);

    const before = await t.admin.list();
    const dataDir = t.dataDir;
    t = await t.restart();
    expect(t.dataDir).toBe(dataDir);

    expect(await t.admin.list()).toEqual(before);
    const c = await t.admin.get(conformance.id);
    expect(c.sha256).toBe(conformance.sha256);
    expect(c.generation).toBeGreaterThan(1); // reloads above are remembered

    const o = await send('job-start', testJob());
    const h = hookIn(o, conformance.id);
    expect(h?.status).toBe('ok');
    expect(h!.report).toContain('seen job-start');
    expect(hookIn(o, copy.id), 'copy stays disabled').toBeUndefined();

    // Names stay taken after the restart.
    const f = await failureOf(t.admin.register({ name: 'copy', component: trapBytes }));
    expect(f.code).toBe(status.ALREADY_EXISTS);
  });
});
