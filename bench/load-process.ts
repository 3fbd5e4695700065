// The bench's side of the load generator: spawns bench/load-client.ts in its
// own node process, sends it commands and reads its JSON answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LoadCommand, LoadResult } from './load-client.js';

export class LoadProcess {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private exited: Promise<void>;

  constructor() {
    const entry = fileURLToPath(new URL('./load-client.ts', import.meta.url));
    this.child = spawn(process.execPath, ['--import', 'tsx', entry], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      let m: { id: number; ok: boolean; result?: LoadResult; error?: string };
      try {
        m = JSON.parse(line);
      } catch {
        process.stderr.write(`load client: ${line}\n`);
        return;
      }
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.ok) w?.resolve(m.result!);
      else w?.reject(new Error(`load client failed: ${m.error}`));
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => {
      for (const w of this.waiting.values()) w.reject(new Error(`load client exited (${signal ?? code})`));
      this.waiting.clear();
      resolve();
    }));
  }

  run(c: Omit<LoadCommand, 'id'>): Promise<LoadResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.stdin!.write(`${JSON.stringify({ ...c, id })}\n`);
    });
  }

  /** Kills the client at once (the bench is being interrupted). */
  kill() {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** Closes stdin (the client exits); kills it if it has not exited within a few seconds. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}
