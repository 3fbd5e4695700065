// What the dispatcher needs from the sandbox: run one hook on one event.
import type { DirectorCallRequest, DirectorCallResult } from '../model/director-call.js';
import type { InvocationResult, InvokeRequest } from './worker/hook-protocol.js';
import type { TranspiledHook } from '../components/component-compiler.js';

/** Answers a hook's director calls for one event (a director session), or null when none is open. */
export type DirectorAnswerer = (call: DirectorCallRequest) => Promise<DirectorCallResult>;

export interface HookRunner {
  invoke(req: Omit<InvokeRequest, 'invocationId' | 'withDirector'>, director: DirectorAnswerer | null): Promise<InvocationResult>;
  /** Instantiates a transpiled component once to prove it loads; throws the reason otherwise. */
  probe(hook: TranspiledHook): Promise<{ instantiateMs: number }>;
  /** Forgets a removed hook's instance. */
  drop(hookId: string): Promise<void>;
  close(): Promise<void>;
}
