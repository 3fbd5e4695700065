// What the dispatcher needs from the sandbox: run one hook on one event.
import type { DirectorCallRequest, DirectorCallResult } from '../model/director-call.js';
import type { HookRef, InvocationResult, InvokeRequest } from './worker/hook-protocol.js';

/** Answers a hook's director calls for one event (a director session), or null when none is open. */
export type DirectorAnswerer = (call: DirectorCallRequest) => Promise<DirectorCallResult>;

export type InvokeInput = Omit<InvokeRequest, 'invocationId' | 'withDirector'>;

export interface HookRunner {
  /** Runs the hook on the event within its deadline; never rejects: every failure is an InvocationResult. */
  invoke(req: InvokeInput, director: DirectorAnswerer | null): Promise<InvocationResult>;
  /**
   * Instantiates the hook where its events will run and keeps the instance
   * ready, so the first event pays no instantiation. Throws the reason when it
   * does not load.
   */
  prepare(hook: HookRef): Promise<{ instantiateMs: number }>;
  /** Forgets a removed hook's instance. */
  drop(hook: { id: string; tenant: string }): Promise<void>;
  close(): Promise<void>;
}
