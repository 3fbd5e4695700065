// What the dispatcher needs from the sandbox: run one hook on one event.
import type { DirectorCallRequest, DirectorCallResult } from '../model/director-call.js';
import type { HookRef, InvocationResult, InvokeRequest } from './worker/hook-protocol.js';


/** Answers a hook's director calls for one event (a director session), or null when none is open. */
export type DirectorAnswerer = (call: DirectorCallRequest) => Promise<DirectorCallResult>;

export interface HookRunner {
  invoke(req: Omit<InvokeRequest, 'invocationId' | 'withDirector'>, director: DirectorAnswerer | null): Promise<InvocationResult>;
  /**
   * Instantiates the hook where its events will run and keeps the instance
   * ready, so the first event pays no instantiation. Throws the reason when it
   * does not load.
   */
  prepare(hook: HookRef): Promise<{ instantiateMs: number }>;
  /** Forgets a removed hook's instance. */
  drop(hookId: string): Promise<void>;
  close(): Promise<void>;
}
