// The WASI part of one hook instance's import object: only the interfaces its
// grants allow (components/grants.ts), each implemented per instance.
import { wasiInterfacesFor, type WasiGrant } from '../../components/grants.js';
import type { Invocation, InvocationSlot } from '../invocation.js';
import { ioInterfaces } from './io.js';
import { stdioInterfaces } from './stdio.js';
import { clockInterfaces } from './clocks.js';
import { randomInterfaces } from './random.js';
import { emptyFilesystem } from './empty-filesystem.js';

export interface WasiImports {
  /** Keyed by unversioned interface name, as jco's glue looks them up. */
  imports: Record<string, object>;
  /** Ends an event: stdout/stderr lines still open go to its report. */
  finish(inv: Invocation): void;
}

export function wasiImports(slot: InvocationSlot, grants: readonly WasiGrant[]): WasiImports {
  if (!grants.length) return { imports: {}, finish: () => {} };
  const io = ioInterfaces();
  const stdio = stdioInterfaces(slot, io);
  const all: Record<string, object> = {
    ...io.imports,
    ...stdio.imports,
    ...clockInterfaces(io, grants.includes('clocks')),
    ...randomInterfaces(slot),
    ...emptyFilesystem(),
  };
  const served = wasiInterfacesFor(grants);
  return {
    imports: Object.fromEntries(Object.entries(all).filter(([name]) => served.has(name))),
    finish: stdio.finish,
  };
}
