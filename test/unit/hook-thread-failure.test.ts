// HookThread.submit when the thread is lost: the failure callback's answer,
// or its error, settles the submit promise; nothing escapes as an unhandled
// rejection (a prepare turns a lost thread into an error by throwing).
import { describe, expect, it } from 'vitest';
import { HookThread } from '../../src/sandbox/hook-thread.js';

describe('a lost thread', () => {
  it('after close: a failure callback that throws rejects the submit, one that answers resolves it', async () => {
    const thread = new HookThread('t', () => {});
    await thread.close();
    const never = async () => { throw new Error('must not run'); };
    await expect(thread.submit(100, never, (f) => { throw new Error(`lost: ${f.kind === 'crash' ? f.message : f.ms}`); }))
      .rejects.toThrow('lost: the service is shutting down');
    await expect(thread.submit(100, never, (f) => `answered: ${f.kind}`)).resolves.toBe('answered: crash');
  });

  it('closed with work queued: each queued submit settles through its own failure callback', async () => {
    const thread = new HookThread('t', () => {});
    // The first task holds the thread; the second waits in the queue until close.
    let release!: () => void;
    const first = thread.submit(10_000, () => new Promise<string>((r) => { release = () => r('first'); }), () => 'first lost');
    const second = thread.submit(10_000, async () => 'second ran', (f) => { throw new Error(`second lost: ${f.kind}`); });
    const secondSettled = expect(second).rejects.toThrow('second lost: crash'); // handled before close rejects it
    await thread.close();
    await secondSettled;
    release?.();
    await expect(Promise.race([first, new Promise((r) => setTimeout(() => r('unsettled'), 2000))])).resolves.not.toBe('unsettled');
  });
});
