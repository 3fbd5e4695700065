// The import object of one hook instance, built fresh for each instance: only
// the hook world's interfaces, nothing module-global shared between instances.
import { HOST_INTERFACES, WIT_PACKAGE, WORLD_VERSION } from '../components/world.js';
import { daemonFunctions } from './daemon.js';
import { directorFunctions } from './director.js';
import type { InvocationSlot } from './invocation.js';
import { jobResource } from './job.js';
import { diagnosticsFunctions } from './diagnostics.js';
import { httpFunctions } from './http.js';

export interface Grants {
  catalogPassword: boolean;
  /** The http interface is in the import object only for a hook granted destinations. */
  http: boolean;
}

export function hostImports(slot: InvocationSlot, grants: Grants): Record<string, object> {
  const byInterface: Record<string, object> = {
    types: {},
    job: { Job: jobResource(slot, grants) },
    daemon: daemonFunctions(slot),
    director: directorFunctions(slot),
    diagnostics: diagnosticsFunctions(slot),
    ...(grants.http ? { http: httpFunctions(slot) } : {}),
  };
  // jco looks imports up by unversioned name; its typings name them versioned. Offer both.
  const version = `${WORLD_VERSION.major}.${WORLD_VERSION.minor}.${WORLD_VERSION.patch}`;
  const imports: Record<string, object> = {};
  for (const [iface, impl] of Object.entries(byInterface)) {
    imports[`${WIT_PACKAGE}/${iface}`] = impl;
    imports[`${WIT_PACKAGE}/${iface}@${version}`] = impl;
  }
  return imports;
}
