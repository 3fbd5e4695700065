// The shape every main-thread <-> worker protocol shares: requests named by
// `type` with a requestId, and replies that carry the same id.

/** A protocol: request type name -> { req: what is sent, res: what comes back }. */
export type Api = Record<string, { req: object; res: unknown }>;

export type RequestMessage<A extends Api, K extends keyof A = keyof A> = K extends keyof A
  ? { type: K; requestId: number } & A[K]['req']
  : never;

export type ReplyMessage =
  | { kind: 'reply'; requestId: number; ok: true; value: unknown }
  | { kind: 'reply'; requestId: number; ok: false; errorName: string; message: string };

export const isReply = (m: unknown): m is ReplyMessage =>
  typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === 'reply';
