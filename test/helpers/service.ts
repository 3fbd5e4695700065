// Starts a real service on loopback (port 0, its own data directory) with
// real clients, for one test file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHookService, type RunningService } from '../../src/server/hook-service.js';
import { AdminClient } from '../../src/client/admin-client.js';
import { DispatchClient } from '../../src/client/dispatch-client.js';
import { DirectorSessionClient, type DirectorCallHandlers } from '../../src/client/director-client.js';
import type { DaemonInfo, JobSnapshot } from '../../src/model/job.js';
import { sampleBackupJob } from '../../src/model/sample-job.js';
import type { ServiceOptions } from '../../src/config.js';
import type { ConnectOptions } from '../../src/client/grpc-clients.js';
import { fixturePath } from '../fixtures/build-fixtures.js';

export const DAEMON: DaemonInfo = { name: 'test-dir', version: '9.6.7 (10 December 2020)', configFile: '/etc/bacula/bacula-dir.conf', workingDir: '/var/lib/bacula' };

export interface TestService {
  svc: RunningService;
  admin: AdminClient;
  dispatch: DispatchClient;
  dataDir: string;
  session(handlers?: DirectorCallHandlers, daemon?: DaemonInfo): Promise<DirectorSessionClient>;
  /** Stops the service; the data directory stays until cleanup(). */
  stop(): Promise<void>;
  restart(): Promise<TestService>;
  cleanup(): Promise<void>;
}

/**
 * Without options.auth every caller is tenant "default" (no credentials);
 * `client` are the credentials the helper's own clients (admin, dispatch,
 * session) present, for a service started with options.auth.
 */
export async function startTestService(options: ServiceOptions = {}, dataDir = mkdtempSync(join(tmpdir(), 'hooks-test-')), client: ConnectOptions = {}): Promise<TestService> {
  const svc = await startHookService({ listen: '127.0.0.1:0', dataDir, auth: { unauthenticatedTenant: 'default' }, ...options });
  const admin = new AdminClient(svc.address, client);
  const dispatch = new DispatchClient(svc.address, client);
  const sessions: DirectorSessionClient[] = [];
  const t: TestService = {
    svc, admin, dispatch, dataDir,
    async session(handlers = {}, daemon = DAEMON) {
      const s = await DirectorSessionClient.open(svc.address, { ...client, daemon, handlers });
      sessions.push(s);
      return s;
    },
    async stop() {
      await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
      admin.close();
      dispatch.close();
      await svc.close();
    },
    async restart() {
      await t.stop();
      return startTestService(options, dataDir, client);
    },
    async cleanup() {
      await t.stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

export const fixture = (name: string): Uint8Array => readFileSync(fixturePath(name));

let nextJobId = 1;
/** A backup job with every attribute set to something recognisable, and a fresh JobId. */
export function testJob(overrides: Partial<JobSnapshot> = {}): JobSnapshot {
  return sampleBackupJob(overrides.jobId ?? nextJobId++, overrides);
}
