// wasi:cli stdio for one hook instance (the stdio grant): what the hook writes
// to stdout or stderr becomes lines of its report for the event, under the
// same limits as report lines; stdin is empty; nothing is a terminal.
import { active, type Invocation, type InvocationSlot } from '../invocation.js';
import { addReportLines } from '../report-limit.js';
import type { IoInterfaces } from './io.js';

/** stderr lines are marked, so an admin reading the job log tells errors apart. */
const PREFIX = { stdout: '', stderr: '[stderr] ' } as const;
type Stream = keyof typeof PREFIX;

export function stdioInterfaces(slot: InvocationSlot, io: IoInterfaces) {
  // A line still open at the end of an event is reported then (finish()).
  const open: Record<Stream, { text: string; decoder: TextDecoder; inv?: Invocation }> = {
    stdout: { text: '', decoder: new TextDecoder() },
    stderr: { text: '', decoder: new TextDecoder() },
  };

  const sink = (stream: Stream) => (bytes: Uint8Array) => {
    const inv = active(slot);
    const o = open[stream];
    o.inv = inv;
    o.text += o.decoder.decode(bytes, { stream: true });
    const lines = o.text.split('\n');
    o.text = lines.pop()!;
    // An endless line is cut at the report's byte limit rather than held without bound.
    const cut = inv.limits.reportBytes - 1 - PREFIX[stream].length;
    while (o.text.length > cut) {
      lines.push(o.text.slice(0, cut));
      o.text = o.text.slice(cut);
    }
    if (lines.length) addReportLines(inv, lines.map((l) => PREFIX[stream] + l.replace(/\r$/, '')));
  };

  const stdout = new io.OutputStream(sink('stdout'));
  const stderr = new io.OutputStream(sink('stderr'));
  const stdin = new io.InputStream();
  class TerminalInput {}
  class TerminalOutput {}

  return {
    /** Reports the lines still open, at the end of an event. */
    finish(inv: Invocation): void {
      for (const [stream, o] of Object.entries(open) as [Stream, (typeof open)[Stream]][]) {
        o.text += o.decoder.decode();
        if (o.text && o.inv === inv) addReportLines(inv, [PREFIX[stream] + o.text]);
        o.text = '';
        o.inv = undefined;
      }
    },
    imports: {
      'wasi:cli/stdin': { getStdin: () => stdin },
      'wasi:cli/stdout': { getStdout: () => stdout },
      'wasi:cli/stderr': { getStderr: () => stderr },
      'wasi:cli/terminal-input': { TerminalInput },
      'wasi:cli/terminal-output': { TerminalOutput },
      'wasi:cli/terminal-stdin': { getTerminalStdin: () => undefined },
      'wasi:cli/terminal-stdout': { getTerminalStdout: () => undefined },
      'wasi:cli/terminal-stderr': { getTerminalStderr: () => undefined },
    },
  };
}
