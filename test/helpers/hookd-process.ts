// The real hookd in a child process, configured by a file it can be told to
// re-read: started, signalled, its log followed, its exit awaited.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, makeClientConstructor, type Client, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../../src/cli/example-hooks.js';

export class Hookd {
  log = '';
  address = '';
  readonly exited: Promise<{ code: number | null; at: number }>;
  private constructor(readonly dir: string, readonly configFile: string, readonly child: ChildProcess) {
    child.stderr!.on('data', (d: Buffer) => { this.log += d.toString(); });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve({ code, at: performance.now() })));
  }

  /** Lines logged so far: pass as fromLine to wait for a line logged after now. */
  get lines(): number {
    return this.log.split('\n').length - 1;
  }

  /** Starts hookd with this configuration (dataDir defaults to a fresh directory) and waits until it listens. */
  static async start(config: Record<string, unknown>): Promise<Hookd> {
    const dir = mkdtempSync(join(tmpdir(), 'hookd-ops-'));
    const configFile = join(dir, 'hookd.yaml');
    writeFileSync(configFile, stringify({ listen: '127.0.0.1:0', dataDir: join(dir, 'data'), ...config }));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HOOKD_')));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/hookd.ts', '--config', configFile], { cwd: REPO_ROOT, env });
    const h = new Hookd(dir, configFile, child);
    const m = await Promise.race([
      h.waitForLog(/listening on (\S+:\d+)/, 60_000),
      h.exited.then((e) => { throw new Error(`hookd exited ${e.code} before listening: ${h.log}`); }),
    ]);
    h.address = m[1];
    return h;
  }

  writeConfig(text: string) {
    writeFileSync(this.configFile, text);
  }

  signal(s: NodeJS.Signals) {
    this.child.kill(s);
  }

  /** The log as text: a JSON line (the structured logger's) by its message, any other line as it is. */
  get text(): string {
    return this.log.split('\n').map((line) => {
      try {
        const o = JSON.parse(line) as { msg?: unknown };
        return typeof o.msg === 'string' ? o.msg : line;
      } catch {
        return line;
      }
    }).join('\n');
  }

  /** Resolves with the match once the log's text (from line `fromLine`) matches; rejects after timeoutMs. */
  waitForLog(re: RegExp, timeoutMs = 20_000, fromLine = 0): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = this.text.split('\n').slice(fromLine).join('\n').match(re);
        if (m) {
          clearInterval(timer);
          clearTimeout(limit);
          resolve(m);
        }
      };
      const timer = setInterval(check, 25);
      const limit = setTimeout(() => { clearInterval(timer); reject(new Error(`hookd did not log ${re} within ${timeoutMs} ms; its log:\n${this.text}`)); }, timeoutMs);
      check();
    });
  }

  async cleanup() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

type AnyClient = Client & Record<string, (...args: unknown[]) => unknown>;
const HealthClient = makeClientConstructor(healthService, 'Health');

/** grpc.health.v1 Check of one service name. */
export function healthCheck(address: string, service = ''): Promise<string> {
  const c = new HealthClient(address, credentials.createInsecure()) as unknown as AnyClient;
  return new Promise((resolve, reject) => c.check({ service }, (e: ServiceError | null, r: { status: string }) => {
    c.close();
    return e ? reject(e) : resolve(r.status);
  }));
}

/** grpc.health.v1 Watch of one service name: every status it reports, with when it arrived. */
export function healthWatch(address: string, service = ''): { statuses: { status: string; at: number }[]; cancel(): void } {
  const c = new HealthClient(address, credentials.createInsecure()) as unknown as AnyClient;
  const stream = c.watch({ service }) as NodeJS.EventEmitter & { cancel(): void };
  const statuses: { status: string; at: number }[] = [];
  stream.on('data', (r: { status: string }) => statuses.push({ status: r.status, at: performance.now() }));
  stream.on('error', () => undefined); // the server going away ends the watch
  return { statuses, cancel: () => { stream.cancel(); c.close(); } };
}
