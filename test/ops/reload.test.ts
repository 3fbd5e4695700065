// SIGHUP on the real hookd: the config file is read again and what can change
// in place does (tokens, limits, log level), what cannot (listen) is named as needing a
// restart, every hook is reloaded (a new generation), and the director
// session open across it goes on with its job. A wrong file changes nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { AdminClient } from '../../src/client/admin-client.js';
import { DirectorSessionClient } from '../../src/client/director-client.js';
import { sha256Hex } from '../../src/server/auth.js';
import { DAEMON, fixture, testJob } from '../helpers/service.js';
import { failureOf } from '../helpers/raw-grpc.js';
import { Hookd } from '../helpers/hookd-process.js';

const running: Hookd[] = [];
afterAll(async () => {
  await Promise.all(running.map((h) => h.cleanup()));
});

describe('SIGHUP reloads', () => {
  it('tokens, limits and log level in place, hooks to a new generation, listen only at restart; the open session keeps its job; a bad file changes nothing', async () => {
    const [acme, beta] = ['token-of-acme-for-reload', 'token-of-beta-for-reload'];
    const base = { auth: { tokens: [{ tenant: 'acme', sha256: sha256Hex(acme) }] }, limits: { defaults: { deadlineMs: 5_000 } } };
    const h = await Hookd.start(base);
    running.push(h);
    const config = (over: object) => stringify({ listen: '127.0.0.1:0', dataDir: `${h.dir}/data`, ...base, ...over });

    const admin = new AdminClient(h.address, { token: acme });
    const betaAdmin = new AdminClient(h.address, { token: beta });
    const hook = await admin.register({ name: 'asks', component: fixture('director-call-loop.c'), events: ['job-start', 'job-end'] });
    expect(hook.limits.deadlineMs).toBe(5_000);
    const session = await DirectorSessionClient.open(h.address, { token: acme, daemon: DAEMON, handlers: { doesVolumeExist: () => true } });
    try {
      const job = testJob({ priority: 2 });
      expect((await session.send({ type: 'job-start', job })).report).toEqual(['director-call-loop: 2 calls, 2 exist']);
      expect((await failureOf(betaAdmin.list())).codeName).toBe('UNAUTHENTICATED');

      h.writeConfig(config({
        listen: '127.0.0.1:1',
        auth: { tokens: [{ tenant: 'acme', sha256: sha256Hex(acme) }, { tenant: 'beta', sha256: sha256Hex(beta) }] },
        limits: { defaults: { deadlineMs: 7_000 } },
        log: { level: 'debug' },
      }));
      let from = h.lines;
      h.signal('SIGHUP');
      const line = (await h.waitForLog(/SIGHUP: reloaded[^\n]*/, 20_000, from))[0];
      expect(line).toContain('applied: auth.tokens, limits.defaults, log.level;');
      expect(line).toContain('changed but needing a restart (old values kept): listen;');
      expect(line).toContain('1 hook(s) reloaded');

      // The session that was open across the reload: the job started before it ends after it, and a new one runs.
      expect((await session.send({ type: 'job-end', job: { ...job, status: 'terminated' } })).hooks.map((x) => x.status)).toEqual(['ok']);
      expect((await session.send({ type: 'job-start', job: testJob({ priority: 1 }) })).report).toEqual(['director-call-loop: 1 calls, 1 exist']);
      expect(await betaAdmin.list()).toEqual([]);
      const after = await admin.get(hook.id);
      expect(after.generation).toBe(hook.generation + 1);
      expect(after.limits.deadlineMs).toBe(7_000);
      expect(h.text.split('\n').slice(from).join('\n')).not.toMatch(/listening on/); // still the same socket

      // A file with a mistake: logged with the key, nothing changes, the service goes on.
      h.writeConfig(config({ listn: '127.0.0.1:2' }));
      from = h.lines;
      h.signal('SIGHUP');
      expect((await h.waitForLog(/SIGHUP: configuration not reloaded[^\n]*/, 20_000, from))[0])
        .toContain('unknown key "listn" (did you mean "listen"?)');
      expect(await betaAdmin.list()).toEqual([]); // beta's token from the last good reload still works
      expect((await admin.get(hook.id)).generation).toBe(hook.generation + 1);
      expect((await session.send({ type: 'job-start', job: testJob({ priority: 1 }) })).hooks.map((x) => x.status)).toEqual(['ok']);
    } finally {
      await session.close().catch(() => undefined);
      admin.close();
      betaAdmin.close();
    }
    h.signal('SIGTERM');
    expect((await h.exited).code).toBe(0);
  });
});
