// Worker entry: jco's componentWit and transpile, which take from milliseconds
// to seconds per component and must never block the service's event loop.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { componentWit, transpile } from '@bytecodealliance/jco';
import { serve } from '../sandbox/worker/serve.js';
import type { CompileApi } from './compile-protocol.js';

/** The name jco gives the generated module: <name>.js next to <name>.core*.wasm. */
const NAME = 'hook';

serve<CompileApi>({
  async inspect({ bytes }) {
    try {
      return { wit: await componentWit(bytes) };
    } catch (e) {
      throw new Error(`not a valid component: ${firstLine(e)}`);
    }
  },

  async transpile({ bytes, outDir }) {
    const t0 = performance.now();
    let out;
    try {
      // (jco 1.13's typings omit noTypescript, which its transpile does honour.)
      out = await transpile(bytes, { name: NAME, instantiation: 'async', noTypescript: true } as Parameters<typeof transpile>[1]);
    } catch (e) {
      throw new Error(`jco could not transpile the component: ${firstLine(e)}`);
    }
    // Written to a fresh directory, then renamed into place: readers never see half a cache entry.
    const tmp = `${outDir}.${process.pid}.${Date.now()}.tmp`;
    // The generated module is ESM; .mjs keeps it so wherever the cache lives (no package.json there).
    const files: string[] = [];
    for (const [f, content] of Object.entries(out.files)) {
      if (f.endsWith('.d.ts')) continue;
      const name = f === `${NAME}.js` ? `${NAME}.mjs` : f;
      await mkdir(dirname(join(tmp, name)), { recursive: true });
      await writeFile(join(tmp, name), content);
      files.push(name);
    }
    await mkdir(dirname(outDir), { recursive: true });
    await rm(outDir, { recursive: true, force: true });
    await rename(tmp, outDir);
    return { entry: `${NAME}.mjs`, files, ms: performance.now() - t0 };
  },
});

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n').filter(Boolean).slice(0, 3).join(' ');
}
