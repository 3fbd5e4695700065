// What a hook component may import and must export: the bacula:hooks world.
export const WIT_PACKAGE = 'bacula:hooks';
/** The newest world version this service implements. */
export const WORLD_VERSION = { major: 1, minor: 2, patch: 0 } as const;
export const WORLD_NAME = `${WIT_PACKAGE}/hook@${WORLD_VERSION.major}.${WORLD_VERSION.minor}.${WORLD_VERSION.patch}`;

/** Interfaces the host provides to every hook. Everything else (every wasi:* among them) is refused. */
export const HOST_INTERFACES = ['types', 'job', 'daemon', 'director', 'diagnostics', 'metrics'] as const;
/** Interfaces of ours only a hook granted them gets (since 1.1.0); WASI grants are in grants.ts. */
export const GRANTED_INTERFACES = ['http'] as const;
export const EVENTS_INTERFACE = 'events';

/** The functions the events export must have (jco's camelCase names). */
export const EVENT_EXPORTS = ['jobStart', 'jobInit', 'jobRun', 'newVolume', 'volumePurged', 'jobEnd', 'exit'] as const;

/** The minor version that added an interface (1.0 otherwise): a component cannot import metrics@1.1.0, which never existed. */
const SINCE_MINOR: Record<string, number> = { http: 1, metrics: 2 };

const NAME = /^([a-z][a-z0-9-]*:[a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)(?:@(\d+)\.(\d+)\.(\d+))?$/;

/** Whether `name` (e.g. "bacula:hooks/job@1.1.0") is `iface` of a version this host serves. */
export function isOurInterface(name: string, iface: string): boolean {
  const m = NAME.exec(name);
  if (!m || m[1] !== WIT_PACKAGE || m[2] !== iface || m[3] === undefined) return false;
  const [major, minor] = [Number(m[3]), Number(m[4])];
  return major === WORLD_VERSION.major && minor <= WORLD_VERSION.minor && minor >= (SINCE_MINOR[iface] ?? 0);
}

export const isAllowedImport = (name: string) => HOST_INTERFACES.some((i) => isOurInterface(name, i));
