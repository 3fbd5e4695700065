// Capability grants: what a hook may import beyond the hook world, and only
// when its registration grants it. The table is the whole policy: an import no
// granted grant allows is refused at registration, naming it.
import { isOurInterface } from './world.js';

export const GRANTS = ['http', 'stdio', 'clocks', 'random'] as const;
export type Grant = (typeof GRANTS)[number];
/** The WASI grants (the http grant is named by its allowed hosts instead). */
export const WASI_GRANTS = ['stdio', 'clocks', 'random'] as const;
export type WasiGrant = (typeof WASI_GRANTS)[number];

/**
 * WASI 0.2 interfaces each grant lets a component import. Toolchains link more
 * than the feature itself: componentize-js's stdio feature imports
 * wasi:filesystem (served empty: no preopened directory, so no path can be
 * opened) and wasi:clocks/wall-clock (for its types: reading it needs clocks);
 * its clocks feature imports wasi:cli/stderr.
 */
const WASI_BY_GRANT: Record<WasiGrant, readonly string[]> = {
  stdio: [
    'wasi:cli/stdin', 'wasi:cli/stdout', 'wasi:cli/stderr',
    'wasi:cli/terminal-input', 'wasi:cli/terminal-output',
    'wasi:cli/terminal-stdin', 'wasi:cli/terminal-stdout', 'wasi:cli/terminal-stderr',
    'wasi:io/error', 'wasi:io/streams', 'wasi:io/poll',
    'wasi:filesystem/types', 'wasi:filesystem/preopens',
    'wasi:clocks/wall-clock',
  ],
  clocks: ['wasi:clocks/wall-clock', 'wasi:clocks/monotonic-clock', 'wasi:io/poll', 'wasi:io/error', 'wasi:io/streams', 'wasi:cli/stderr'],
  random: ['wasi:random/random', 'wasi:random/insecure', 'wasi:random/insecure-seed'],
};

/** Interfaces never granted; wasi:filesystem is accepted only beside stdio, and then sees no directory. */
const NEVER = /^wasi:(filesystem|sockets)\//;

/** "wasi:cli/stdout@0.2.12" → "wasi:cli/stdout", for WASI 0.2.x only (undefined otherwise). */
export function wasiInterface(name: string): string | undefined {
  const m = /^(wasi:[a-z-]+\/[a-z-]+)@0\.2\.\d+$/.exec(name);
  return m?.[1];
}

/** The grants any one of which lets a component import `name` (none: it is never granted). */
export function grantsAllowing(name: string): Grant[] {
  if (isOurInterface(name, 'http')) return ['http'];
  const iface = wasiInterface(name);
  return iface ? WASI_GRANTS.filter((g) => WASI_BY_GRANT[g].includes(iface)) : [];
}

/** Whether an import that no grant allows would be refused outright (filesystem, sockets) rather than "not granted". */
export const isNeverGranted = (name: string) => NEVER.test(name);

/** The WASI interfaces (unversioned) a hook with these grants is served. */
export function wasiInterfacesFor(grants: Iterable<WasiGrant>): Set<string> {
  const s = new Set<string>();
  for (const g of grants) for (const i of WASI_BY_GRANT[g]) s.add(i);
  return s;
}
