// When the WIT (or the proto) changes, every kit and every generated file must
// change with it: the generated ones are regenerated and compared, the
// hand-written C and Rust glue each record the hash of the WIT they implement.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/cli/example-hooks.js';

const run = promisify(execFile);
const witSha = createHash('sha256').update(readFileSync(join(REPO_ROOT, 'hooks-sdk/wit/hooks.wit'))).digest('hex');

/** Every WIT hash a kit's sources declare (C: BACULA_HOOKS_WIT_SHA256, Rust: WIT_SHA256). */
function declaredHashes(kitDir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (f === 'target') continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(h|c|rs)$/.test(f)) {
        for (const m of readFileSync(p, 'utf8').matchAll(/WIT_SHA256\b[^"\n]*"([0-9a-f]{64})"/g)) found.push(m[1]);
      }
    }
  };
  walk(join(REPO_ROOT, kitDir));
  return found;
}

describe('the kits follow the WIT', () => {
  it('the JS kit\'s generated types are what the WIT gives', async () => {
    const { stdout } = await run(process.execPath, ['hooks-sdk/js/gen-types.mjs', '--check'], { cwd: REPO_ROOT });
    expect(stdout).toContain('matches');
  });

  it.each(['hooks-sdk/c', 'hooks-sdk/rust'])('%s implements this WIT (its recorded hash is the WIT\'s)', (kit) => {
    const hashes = declaredHashes(kit);
    expect(hashes.length).toBeGreaterThan(0);
    expect(new Set(hashes)).toEqual(new Set([witSha]));
  });

  it('the generated protobuf codecs and service definitions are what the proto gives', async () => {
    const { stdout } = await run(process.execPath, ['scripts/gen-proto.mjs', '--check'], { cwd: REPO_ROOT });
    expect(stdout).toContain('matches');
  });
});
