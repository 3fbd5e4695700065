// Runs the real hookctl in a child process (node --import tsx), as a script
// or a person would, against a service given by HOOKCTL_SERVER.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { REPO_ROOT } from '../../src/cli/example-hooks.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const ARGS = ['--import', 'tsx', 'src/cli/hookctl.ts'];

/** hookctl with args; env adds to (and may override) this process's environment. */
export function hookctl(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...ARGS, ...args], { cwd: REPO_ROOT, timeout: 120_000, env: { ...process.env, ...env } },
      (e, stdout, stderr) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

/** A long-running hookctl (tail): its output so far, and its exit. */
export class HookctlProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number>;

  constructor(env: Record<string, string>, ...args: string[]) {
    this.child = spawn(process.execPath, [...ARGS, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    this.child.stdout.on('data', (d: Buffer) => { this.stdout += d.toString(); });
    this.child.stderr.on('data', (d: Buffer) => { this.stderr += d.toString(); });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  }

  /** Resolves once `pick(output)` is true; rejects with the output so far after timeoutMs or if the process exits first. */
  async until(pick: (p: HookctlProcess) => boolean, timeoutMs = 60_000): Promise<void> {
    const t0 = Date.now();
    let done = false;
    void this.exited.then(() => { done = true; });
    while (!pick(this)) {
      if (done) throw new Error(`hookctl exited first\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Ctrl-C, and the exit status. */
  interrupt(): Promise<number> {
    this.child.kill('SIGINT');
    return this.exited;
  }
}
