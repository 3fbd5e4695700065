// Child process of bench/director-rtt.ts: the director side, in its own
// process like a real director. Opens a director session that answers
// does-volume-exist, sends JobStarts to director-call-loop.c with Priority HI
// and LO alternately (each makes that many director calls) and collects the
// hook's durationMs as the service measured it; then, as the baseline on the
// same kind of connection, ping-pongs one event-sized message at a time on a
// bare grpc-js bidi stream (bench/echo-service.ts) and times each round trip.
// Usage: director-rtt-client.ts <service address> <echo address> <reps> <pairs> <hi> <lo> <pings>
// Prints {"hi": number[][], "lo": number[][], "pingMs": number[][]} (per repetition).
import { credentials, type ClientDuplexStream } from '@grpc/grpc-js';
import { DirectorSessionClient } from '../src/client/director-client.js';
import { EchoClient } from './echo-service.js';
import { DAEMON, benchJob, encodedEventMessage } from './fixtures.js';

const [address, echoAddress, ...nums] = process.argv.slice(2);
const [reps, pairs, hi, lo, pings] = nums.map(Number);

let volumeCalls = 0;
const session = await DirectorSessionClient.open(address, {
  daemon: DAEMON, handlers: { doesVolumeExist: () => { volumeCalls++; return true; } },
});
let n = 0;
const jobStart = async (priority: number) => {
  const job = { ...benchJob(700_000 + ++n), priority };
  const o = await session.send({ type: 'job-start', job });
  await session.send({ type: 'job-end', job });
  const h = o.hooks[0];
  if (h?.status !== 'ok' || !h.report[0]?.includes(`${priority} calls, ${priority} exist`)) {
    throw new Error(`director-call-loop: ${h?.status} ${h?.message} ${h?.report.join(' ')}`);
  }
  return h.durationMs;
};

const client = new EchoClient(echoAddress, credentials.createInsecure());
const stream = (client as unknown as { echo(): ClientDuplexStream<Buffer, Buffer> }).echo();
const msg = encodedEventMessage();
let waiter: (() => void) | undefined;
stream.on('data', () => waiter?.());
const ping = () => new Promise<void>((resolve) => { waiter = resolve; stream.write(msg); });

for (let i = 0; i < 60; i++) { await jobStart(hi); await jobStart(lo); } // warm: JIT in both processes
for (let i = 0; i < 2000; i++) await ping();

const out = { hi: [] as number[][], lo: [] as number[][], pingMs: [] as number[][], volumeCalls: 0 };
for (let r = 0; r < reps; r++) {
  const h: number[] = [], l: number[] = [], p: number[] = [];
  for (let i = 0; i < pairs; i++) { h.push(await jobStart(hi)); l.push(await jobStart(lo)); }
  for (let i = 0; i < pings; i++) {
    const t0 = performance.now();
    await ping();
    p.push(performance.now() - t0);
  }
  out.hi.push(h); out.lo.push(l); out.pingMs.push(p);
}
out.volumeCalls = volumeCalls;
stream.end();
client.close();
await session.close();
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
