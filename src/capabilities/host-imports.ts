// The import object of one hook instance, built fresh for each instance: the
// hook world's interfaces and what the hook was granted, nothing module-global
// shared between instances.
import { HOST_INTERFACES, WIT_PACKAGE, WORLD_VERSION } from '../components/world.js';
import { daemonFunctions } from './daemon.js';
import { directorFunctions } from './director.js';
import type { InvocationSlot } from './invocation.js';
import { jobResource } from './job.js';
import { diagnosticsFunctions } from './diagnostics.js';
import { httpFunctions } from './http.js';
import { metricsFunctions } from './metrics.js';
import type { Invocation } from './invocation.js';
import type { WasiGrant } from '../components/grants.js';
import { wasiImports } from './wasi/wasi-imports.js';

export interface Grants {
  catalogPassword: boolean;
  /** The http interface is in the import object only for a hook granted destinations. */
  http: boolean;
  /** WASI capabilities: only their interfaces are served (none when absent). */
  wasi?: readonly WasiGrant[];
}

export interface HostImports {
  imports: Record<string, object>;
  /** Ends an event: output the instance still buffers goes to the event's report. */
  finishEvent(inv: Invocation): void;
}

export function hostImports(slot: InvocationSlot, grants: Grants): HostImports {
  const byInterface: Record<string, object> = {
    types: {},
    job: { Job: jobResource(slot, grants) },
    daemon: daemonFunctions(slot),
    director: directorFunctions(slot),
    diagnostics: diagnosticsFunctions(slot),
    metrics: metricsFunctions(slot),
    ...(grants.http ? { http: httpFunctions(slot) } : {}),
  };
  // jco looks imports up by unversioned name; its typings name them versioned. Offer both.
  const version = `${WORLD_VERSION.major}.${WORLD_VERSION.minor}.${WORLD_VERSION.patch}`;
  const imports: Record<string, object> = {};
  for (const [iface, impl] of Object.entries(byInterface)) {
    imports[`${WIT_PACKAGE}/${iface}`] = impl;
    imports[`${WIT_PACKAGE}/${iface}@${version}`] = impl;
  }
  const wasi = wasiImports(slot, grants.wasi ?? []);
  return { imports: { ...imports, ...wasi.imports }, finishEvent: wasi.finish };
}
