// Runs a bench/*.ts entry in a fresh node process (under tsx) and returns the
// JSON it prints as its last stdout line.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function runChild<T>(entry: string, args: string[], timeoutMs = 60_000): Promise<T> {
  const file = fileURLToPath(new URL(entry, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { out += s; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`${entry} exited with ${signal ?? code}: ${last}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${entry} printed no JSON result: ${last}`));
      }
    });
  });
}
