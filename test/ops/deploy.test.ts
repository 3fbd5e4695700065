// The deployment files hold together: the example config is a valid config
// for the real hookd; the systemd unit passes systemd-analyze and outlasts
// the drain; the container's health check script speaks grpc.health.v1 to a
// real service (exit 0 SERVING, 1 draining or unreachable); and the image's
// `npm ci --omit=dev` has every package the service imports.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../src/cli/example-hooks.js';
import { CertDir } from '../helpers/certs.js';
import { DAEMON, fixture, startTestService, testJob } from '../helpers/service.js';

const work = mkdtempSync(join(tmpdir(), 'hookd-deploy-test-'));
const certs = new CertDir();
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  certs.cleanup();
});

const read = (p: string) => readFileSync(join(REPO_ROOT, p), 'utf8');

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HOOKD_')));
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: REPO_ROOT, timeout: 60_000, env: { ...clean, ...env } },
      (e, stdout, stderr) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

/** The unit's settings, key → values (a key may repeat). */
function unitSettings(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1], [...(out.get(m[1]) ?? []), m[2]]);
  }
  return out;
}

describe('deploy/hookd.example.yaml', () => {
  it('is a valid config for the real hookd (its files given through HOOKD_* variables), with the values it documents', async () => {
    const ca = certs.ca('deploy-example-ca');
    const server = ca.issue('/CN=localhost', 'server');
    const file = (name: string, text: string) => { const p = join(work, name); writeFileSync(p, text); return p; };
    const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/hookd.ts', '--config', 'deploy/hookd.example.yaml', '--print-config'], {
      HOOKD_AUTH_TOKENS_FILE: file('tokens.json', JSON.stringify([{ tenant: 'acme', sha256: 'ab'.repeat(32) }])),
      HOOKD_AUTH_TLS_CERT: file('server.pem', server.cert),
      HOOKD_AUTH_TLS_KEY: file('server.key', server.key),
      HOOKD_DATA_DIR: join(work, 'data'),
    });
    expect(r.code, r.stderr).toBe(0);
    const printed = parse(r.stdout) as Record<string, any>;
    const example = parse(read('deploy/hookd.example.yaml')) as Record<string, any>;
    expect(printed.listen).toBe(example.listen);
    expect(printed).toMatchObject({ metrics: example.metrics, log: example.log, shutdown: example.shutdown, grpc: example.grpc });
    expect(printed.limits.defaults).toEqual(example.limits.defaults);
  });
});

describe('deploy/hookd.service', () => {
  const text = read('deploy/hookd.service');
  const unit = unitSettings(text);
  const example = parse(read('deploy/hookd.example.yaml')) as { dataDir: string; shutdown: { drainTimeoutMs: number } };

  it('passes systemd-analyze verify', async () => {
    const copy = join(work, 'hookd.service');
    writeFileSync(copy, text);
    const r = await run('systemd-analyze', ['verify', copy]);
    expect(r.stderr.split('\n').filter((l) => l.includes('hookd.service'))).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('drains on SIGTERM within TimeoutStopSec, reloads on HUP, restarts on failure, runs unprivileged and hardened', () => {
    expect(unit.get('KillSignal')).toEqual(['SIGTERM']);
    // The drain, plus a second for the last answers and the close, fits in the stop timeout.
    expect(Number(unit.get('TimeoutStopSec')![0]) * 1000).toBeGreaterThan(example.shutdown.drainTimeoutMs + 5_000);
    expect(unit.get('ExecReload')![0]).toMatch(/kill -HUP \$MAINPID$/);
    expect(unit.get('Restart')).toEqual(['on-failure']);
    expect(unit.get('ExecStart')![0]).toBe('/usr/bin/node --import tsx src/cli/hookd.ts');
    expect(unit.get('User')).toEqual(['hookd']);
    for (const [k, v] of [['NoNewPrivileges', 'yes'], ['ProtectSystem', 'strict'], ['ProtectHome', 'yes'], ['PrivateTmp', 'yes'], ['CapabilityBoundingSet', '']]) {
      expect(unit.get(k), k).toEqual([v]);
    }
    expect(unit.get('ReadWritePaths')![0].split(' ')).toContain(example.dataDir);
  });
});

describe('deploy/healthcheck.mjs (the container HEALTHCHECK)', () => {
  it('exits 0 while SERVING, 1 once draining, 1 when nothing listens', async () => {
    const t = await startTestService({ shutdown: { drainTimeoutMs: 10_000 } });
    const script = join(REPO_ROOT, 'deploy', 'healthcheck.mjs');
    try {
      const up = await run(process.execPath, [script, t.svc.address]);
      expect([up.code, up.stdout]).toEqual([0, `hookd at ${t.svc.address}: SERVING\n`]);

      // An event held in flight keeps the drain going while the check runs.
      await t.admin.register({ name: 'asks', component: fixture('director-call-loop.c'), events: ['job-start'] });
      let release!: (v: boolean) => void;
      const asked = new Promise<void>((inside) => {
        void t.session({ doesVolumeExist: () => { inside(); return new Promise<boolean>((r) => { release = r; }); } })
          .then((s) => s.send({ type: 'job-start', job: testJob({ priority: 1 }) }));
      });
      await asked;
      const stopping = t.svc.shutdown();
      const draining = await run(process.execPath, [script, t.svc.address]);
      expect([draining.code, draining.stdout]).toEqual([1, `hookd at ${t.svc.address}: NOT_SERVING\n`]);
      release(true);
      expect((await stopping).finished).toBe(1);

      const down = await run(process.execPath, [script, t.svc.address]);
      expect(down.code).toBe(1);
      expect(down.stderr).toContain(`hookd at ${t.svc.address}:`);
    } finally {
      await t.cleanup();
    }
  });
});

describe('Dockerfile', () => {
  const text = read('Dockerfile');

  it('installs with --omit=dev, and every package the service imports is a runtime dependency', () => {
    expect(text).toMatch(/npm ci --omit=dev/);
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const imported = new Set<string>();
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|mjs)$/.test(f)) {
          // import/export … from 'x' (possibly over several lines), import 'x', import('x').
          for (const m of readFileSync(p, 'utf8').matchAll(/^\s*(?:import|export)\s[^;='"]*?\sfrom\s*'([^'.][^']*)'|^\s*import\s*'([^'.][^']*)'|\bimport\('([^'.][^']*)'\)/gm)) {
            imported.add(m[1] ?? m[2] ?? m[3]);
          }
        }
      }
    };
    walk(join(REPO_ROOT, 'src'));
    walk(join(REPO_ROOT, 'deploy'));
    const packages = [...imported].filter((s) => !s.startsWith('node:') && !builtinModules.includes(s))
      .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]));
    expect(packages.length).toBeGreaterThan(5);
    expect(packages.filter((p) => !(p in pkg.dependencies))).toEqual([]);
    expect(pkg.dependencies).toHaveProperty('tsx');
  });

  it('copies what exists, runs hookd as a non-root user, checks health over grpc.health.v1, stops with SIGTERM', () => {
    for (const m of text.matchAll(/^COPY (.+) \S+$/gm)) {
      for (const src of m[1].split(' ')) expect(existsSync(join(REPO_ROOT, src)), src).toBe(true);
    }
    expect(text).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(text).toMatch(/^USER hookd$/m);
    expect(text).toMatch(/^HEALTHCHECK .*\n\s+CMD \["node", "deploy\/healthcheck\.mjs", "127\.0\.0\.1:50051"\]$/m);
    expect(text).toMatch(/^STOPSIGNAL SIGTERM$/m);
    expect(text).toMatch(/^ENTRYPOINT \["node", "--import", "tsx", "src\/cli\/hookd\.ts"\]$/m);
  });
});
