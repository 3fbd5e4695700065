// What the sandbox tells whoever watches it (the metrics, the log): things only
// the sandbox sees, which an event's outcome does not carry.

/** Why a hook thread was replaced: a deadline, a crash, or the memory backstop. */
export type ReplaceReason = 'deadline' | 'crash' | 'memory';

export interface SandboxEvents {
  threadReplaced(tenant: string, reason: ReplaceReason, detail: string): void;
  /** A hook's instance trapped (a wasm trap, not the hook's own error) and was dropped. */
  trapped(tenant: string, hook: string): void;
  /** A hook's linear memory reached its cap during an event (memory.grow past it fails), or the backstop caught it. */
  memoryCapHit(tenant: string, hook: string): void;
  /** A director call (run, cancel, does-volume-exist) or an HTTP request was answered, with its result's tag. */
  hostCallAnswered(tenant: string, call: string, result: string, seconds: number): void;
}

export const NO_SANDBOX_EVENTS: SandboxEvents = {
  threadReplaced() {}, trapped() {}, memoryCapHit() {}, hostCallAnswered() {},
};
