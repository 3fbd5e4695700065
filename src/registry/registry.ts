// Where hooks and their components live. The embedded file store is the
// default; a shared database store implements the same interface.
import type { HookRecord } from './hook-record.js';

export interface HookRegistry {
  /** Stores component bytes under their sha256 (idempotent); returns the hash. */
  putComponent(bytes: Uint8Array): Promise<string>;
  getComponent(sha256: string): Promise<Uint8Array>;
  /** Deletes a component no hook uses any more (absent is fine). */
  deleteComponent(sha256: string): Promise<void>;
  /** Every hook of every tenant, in registration order. */
  listHooks(): Promise<HookRecord[]>;
  /** Inserts or replaces the hook with this id. */
  saveHook(hook: HookRecord): Promise<void>;
  removeHook(id: string): Promise<void>;
  close(): Promise<void>;
}
