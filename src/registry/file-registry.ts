// The embedded default store: a data directory with components named by their
// sha256 and one JSON file of hook metadata, replaced atomically on each change.
import { createHash, randomUUID } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HookRecord } from './hook-record.js';
import type { HookRegistry } from './registry.js';

interface HooksFile {
  format: 1;
  hooks: HookRecord[];
}

export class FileRegistry implements HookRegistry {
  private hooks = new Map<string, HookRecord>();
  /** Metadata writes are serialised so the file always holds one whole state. */
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly dir: string) {}

  static async open(dataDir: string): Promise<FileRegistry> {
    const r = new FileRegistry(dataDir);
    await mkdir(join(dataDir, 'components'), { recursive: true });
    try {
      const file = JSON.parse(await readFile(r.metadataPath, 'utf8')) as HooksFile;
      if (file.format !== 1) throw new Error(`unknown format ${file.format}`);
      for (const h of file.hooks) r.hooks.set(h.id, h);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`cannot read ${r.metadataPath}: ${(e as Error).message}`);
      }
    }
    return r;
  }

  private get metadataPath() {
    return join(this.dir, 'hooks.json');
  }

  private componentPath(sha256: string) {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.dir, 'components', `${sha256}.wasm`);
  }

  async putComponent(bytes: Uint8Array): Promise<string> {
    const sha = createHash('sha256').update(bytes).digest('hex');
    const path = this.componentPath(sha);
    const exists = await access(path).then(() => true, () => false);
    if (!exists) {
      const tmp = `${path}.${randomUUID()}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    }
    return sha;
  }

  async getComponent(sha256: string): Promise<Uint8Array> {
    return readFile(this.componentPath(sha256));
  }

  async deleteComponent(sha256: string): Promise<void> {
    await rm(this.componentPath(sha256), { force: true });
  }

  async listHooks(): Promise<HookRecord[]> {
    return [...this.hooks.values()].sort((a, b) => a.seq - b.seq);
  }

  async saveHook(hook: HookRecord): Promise<void> {
    this.hooks.set(hook.id, structuredClone(hook));
    await this.flush();
  }

  async removeHook(id: string): Promise<void> {
    this.hooks.delete(id);
    await this.flush();
  }

  private flush(): Promise<void> {
    const snapshot: HooksFile = { format: 1, hooks: [...this.hooks.values()] };
    // A failed write fails its own caller only; the next change writes the whole state again.
    this.writing = this.writing.catch(() => undefined).then(async () => {
      const tmp = `${this.metadataPath}.${randomUUID()}.tmp`;
      await writeFile(tmp, JSON.stringify(snapshot, null, 2));
      await rename(tmp, this.metadataPath);
    });
    return this.writing;
  }

  async close(): Promise<void> {
    await this.writing;
  }
}
