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
const shaOf = (file: string) => createHash('sha256').update(readFileSync(join(REPO_ROOT, file))).digest('hex');
/** A published WIT version is frozen: its file may never change (old components depend on it). */
const FROZEN = {
  'hooks-sdk/wit-1.0.0/hooks.wit': '7b36ae7d4e784af79d43f224b5fa9b4b5122a8730758b49b1b2abdcbd5000f5a',
  'hooks-sdk/wit-1.1.0/hooks.wit': '26d46a95d1e64805dd64ce9341c569839d685ac9145ea86ec4f9084df6f9d128',
};
const CURRENT = 'hooks-sdk/wit/hooks.wit';
/**
 * The WIT each hand-written kit implements: the C kit the newest (1.2.0,
 * metrics); the Rust kit the frozen 1.0.0, whose components every 1.x service
 * runs. A kit follows either the current WIT or a frozen one, never a file
 * that may still change under it.
 */
const KIT_WIT: Record<string, string> = { 'hooks-sdk/c': CURRENT, 'hooks-sdk/rust': 'hooks-sdk/wit-1.0.0/hooks.wit' };

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

  it.each(Object.entries(FROZEN))('the published %s is unchanged', (file, sha) => {
    expect(shaOf(file)).toBe(sha);
  });

  it.each(Object.entries(KIT_WIT))('%s implements %s (its recorded hash is that file\'s)', (kit, wit) => {
    expect(wit === CURRENT || wit in FROZEN).toBe(true);
    const hashes = declaredHashes(kit);
    expect(hashes.length).toBeGreaterThan(0);
    expect(new Set(hashes)).toEqual(new Set([shaOf(wit)]));
  });

  it('the generated protobuf codecs and service definitions are what the proto gives', async () => {
    const { stdout } = await run(process.execPath, ['scripts/gen-proto.mjs', '--check'], { cwd: REPO_ROOT });
    expect(stdout).toContain('matches');
  });
});
