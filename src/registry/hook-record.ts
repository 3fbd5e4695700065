// A registered hook, as every registry stores it.
import type { EventName } from '../model/enums.js';
import type { LimitSet } from '../config.js';
import type { WasiGrant } from '../components/grants.js';

export type FailurePolicy = 'fail-open' | 'fail-closed';

export interface HookRecord {
  id: string;
  tenant: string;
  name: string;
  /** sha256 of the component bytes: the key of the component in the store. */
  sha256: string;
  size: number;
  /** The events the hook is registered for; job events still need a JobStart subscription. */
  events: EventName[];
  /** Lower runs first; ties run in registration order (seq). */
  order: number;
  seq: number;
  failurePolicy: FailurePolicy;
  grantCatalogPassword: boolean;
  /** Outbound HTTP destinations granted ("host" or "host:port"); empty: none. */
  httpAllowedHosts: string[];
  /** WASI capabilities granted (stdio, clocks, random); absent in records stored before they existed: none. */
  wasiGrants?: WasiGrant[];
  /** The limits asked for at registration (absent: the tenant's default); the effective ones are computed per call. */
  limits: Partial<LimitSet>;
  enabled: boolean;
  createdAt: string;
  /** The component's imports (versioned WIT interface names). */
  imports: string[];
  /** Bumped by reload: a new generation is instantiated afresh. */
  generation: number;
}

/** The order hooks of one tenant run in on one event. */
export const byRunOrder = (a: HookRecord, b: HookRecord) => a.order - b.order || a.seq - b.seq;
