// Typed, promise-based admin API: register (plain or with progress), list,
// get, remove, enable/disable, reload; tail (settled events, live) and stats.
import type { ClientReadableStream, Metadata, ServiceError } from '@grpc/grpc-js';
import { bacula } from '../gen/hooks-proto.js';
import { EVENT_NAMES, fromProtoNumber, toProtoNumber, type EventName } from '../model/enums.js';
import { WASI_GRANTS, type WasiGrant } from '../components/grants.js';
import { decodeOutcome, eventTypeNumber } from '../wire/codec.js';
import type { EventOutcome } from '../model/outcome.js';
import type { FailurePolicy, HookRecord } from '../registry/hook-record.js';
import type { LimitSet } from '../config.js';
import { grpcClient, type ConnectOptions } from './grpc-clients.js';
import { HookClientError } from './client-error.js';

import pb = bacula.hooks.v1;

/** A hook as the admin API shows it: the stored record with its effective limits and any suspension. */
export type HookInfo = Omit<HookRecord, 'seq' | 'limits'> & {
  limits: LimitSet;
  suspension?: { until: string; consecutiveFailures: number; reason: string };
};

export interface RegisterOptions {
  name: string;
  component: Uint8Array;
  events?: EventName[];
  order?: number;
  failurePolicy?: FailurePolicy;
  grantCatalogPassword?: boolean;
  /** Limits asked for; absent ones are the tenant's defaults. */
  limits?: Partial<LimitSet>;
  /** Outbound HTTP destinations granted: "host" or "host:port". */
  httpAllowedHosts?: string[];
  /** WASI capabilities granted: stdio (into the report), clocks, random. */
  wasiGrants?: WasiGrant[];
}

const POLICIES: FailurePolicy[] = ['fail-open', 'fail-closed'];

/** Where a registration is, as RegisterWithProgress reports it. */
export type RegisterPhase = 'received' | 'checking' | 'transpiling' | 'instantiating' | 'storing';
const PHASES: RegisterPhase[] = ['received', 'checking', 'transpiling', 'instantiating', 'storing'];

export interface TailFilter {
  /** Every tenant's events (admin credentials). */
  allTenants?: boolean;
  /** Only events that entered this hook, with only its outcome and report lines. */
  hookId?: string;
  event?: EventName;
  jobId?: number;
}

/** One settled event, as tail delivers it. */
export interface TailEntry {
  tenant: string;
  director: string;
  /** RFC 3339. */
  at: string;
  outcome: EventOutcome;
  /** Entries the service dropped before this one because this reader fell behind. */
  dropped: number;
}

export interface Tail {
  /** Resolves once the service follows the feed: events settled from then on are delivered. */
  readonly following: Promise<void>;
  /** Resolves when the stream ends (cancel() or the service closing); rejects with a HookClientError on failure. */
  readonly ended: Promise<void>;
  cancel(): void;
}

export interface HookStats {
  hookId: string;
  hookName: string;
  tenant: string;
  enabled: boolean;
  events: number;
  ok: number;
  failed: number;
  timedOut: number;
  skipped: number;
  p50Ms: number;
  p99Ms: number;
  latencySamples: number;
  /** RFC 3339; absent before the first event. */
  lastEventAt?: string;
  suspension?: HookInfo['suspension'];
}

export interface ServiceStats {
  /** RFC 3339: when the service started counting. */
  since: string;
  /** Runs per hook the percentiles are taken over, at most. */
  latencyWindow: number;
  hooks: HookStats[];
  tenants: { tenant: string; eventsInFlight: number }[];
}

export function encodeLimits(l: Partial<LimitSet>): pb.ILimits {
  return { deadlineMs: l.deadlineMs, memoryMib: l.memoryMiB, reportLines: l.reportLines, reportBytes: l.reportBytes, directorCalls: l.directorCalls };
}

export function decodeHook(h: pb.IHook): HookInfo {
  return {
    id: h.id ?? '', name: h.name ?? '', sha256: h.sha256 ?? '', size: Number(h.size ?? 0),
    events: (h.events ?? []).map((n) => fromProtoNumber(EVENT_NAMES, n)!).filter(Boolean),
    order: h.settings?.order ?? 0,
    failurePolicy: fromProtoNumber(POLICIES, h.settings?.failurePolicy) ?? 'fail-open',
    grantCatalogPassword: !!h.settings?.grantCatalogPassword,
    limits: {
      deadlineMs: h.settings?.limits?.deadlineMs ?? 0, memoryMiB: h.settings?.limits?.memoryMib ?? 0,
      reportLines: h.settings?.limits?.reportLines ?? 0, reportBytes: h.settings?.limits?.reportBytes ?? 0,
      directorCalls: h.settings?.limits?.directorCalls ?? 0,
    },
    tenant: h.tenant ?? '',
    httpAllowedHosts: h.settings?.httpAllowedHosts ?? [],
    wasiGrants: (h.settings?.wasiGrants ?? []).map((n) => fromProtoNumber(WASI_GRANTS, n)!).filter(Boolean),
    enabled: !!h.enabled, createdAt: h.createdAt ?? '', imports: h.imports ?? [], generation: Number(h.generation ?? 0),
    ...(h.suspension ? { suspension: decodeSuspension(h.suspension) } : {}),
  };
}

const decodeSuspension = (s: pb.ISuspension) => ({ until: s.until ?? '', consecutiveFailures: s.consecutiveFailures ?? 0, reason: s.reason ?? '' });

function encodeRegister(o: RegisterOptions): pb.IRegisterHookRequest {
  return {
    name: o.name,
    component: o.component,
    events: (o.events ?? []).map(eventTypeNumber),
    settings: {
      order: o.order ?? 0,
      failurePolicy: POLICIES.indexOf(o.failurePolicy ?? 'fail-open') + 1,
      grantCatalogPassword: o.grantCatalogPassword ?? false,
      limits: o.limits && encodeLimits(o.limits),
      httpAllowedHosts: o.httpAllowedHosts ?? [],
      wasiGrants: (o.wasiGrants ?? []).map((g) => toProtoNumber(WASI_GRANTS, g)),
    },
  };
}

export class AdminClient {
  private readonly client;

  private readonly timeoutMs?: number;

  constructor(address: string, options: ConnectOptions = {}) {
    this.client = grpcClient('admin', address, options);
    this.timeoutMs = options.timeoutMs;
  }

  /** Call options with the deadline, when one was given. */
  private options(timeoutMs = this.timeoutMs) {
    return timeoutMs ? { deadline: new Date(Date.now() + timeoutMs) } : {};
  }

  private call<Res>(method: string, req: object): Promise<Res> {
    return new Promise((resolve, reject) => {
      this.client[method](req, this.options(), (e: Parameters<typeof HookClientError.fromGrpc>[0] | null, res: Res) =>
        (e ? reject(HookClientError.fromGrpc(e)) : resolve(res)));
    });
  }

  async register(o: RegisterOptions): Promise<HookInfo> {
    return decodeHook(await this.call<pb.IHook>('register', encodeRegister(o)));
  }

  /**
   * Register, told each phase as the service reaches it: 'received' (the
   * upload is complete) with the size, then checking, transpiling,
   * instantiating, storing. Resolves with the hook.
   */
  registerWithProgress(o: RegisterOptions, onPhase: (phase: RegisterPhase, bytes: number) => void): Promise<HookInfo> {
    return new Promise((resolve, reject) => {
      const stream = this.client.registerWithProgress(encodeRegister(o), this.options()) as ClientReadableStream<pb.RegisterProgress>;
      let hook: HookInfo | undefined;
      stream.on('data', (m: pb.RegisterProgress) => {
        if (m.hook) hook = decodeHook(m.hook);
        else if (m.phase) onPhase(PHASES[m.phase - 1] ?? 'received', Number(m.bytes ?? 0));
      });
      stream.on('error', (e: ServiceError) => reject(HookClientError.fromGrpc(e)));
      stream.on('end', () => (hook ? resolve(hook) : reject(new HookClientError(13, 'the service ended RegisterWithProgress without the hook'))));
    });
  }

  /** Follows settled events, each passed to onEntry, until cancel(). No deadline. */
  tail(filter: TailFilter, onEntry: (e: TailEntry) => void): Tail {
    const stream = this.client.tail({
      allTenants: !!filter.allTenants, hookId: filter.hookId ?? '',
      event: filter.event ? eventTypeNumber(filter.event) : 0, jobId: filter.jobId ?? 0,
    }) as ClientReadableStream<pb.TailEntry>;
    let cancelled = false;
    stream.on('data', (m: pb.TailEntry) => onEntry({
      tenant: m.tenant, director: m.director, at: m.at, outcome: decodeOutcome(m.outcome ?? {}), dropped: Number(m.dropped ?? 0),
    }));
    const ended = new Promise<void>((resolve, reject) => {
      stream.on('error', (e: ServiceError) => (cancelled && e.code === 1 ? resolve() : reject(HookClientError.fromGrpc(e))));
      stream.on('end', () => resolve());
    });
    const following = new Promise<void>((resolve, reject) => {
      stream.once('metadata', (_m: Metadata) => resolve());
      ended.then(() => resolve(), reject);
    });
    following.catch(() => undefined);
    return { following, ended, cancel: () => { cancelled = true; stream.cancel(); } };
  }

  /** Per-hook counters (this tenant's hooks; every tenant's with allTenants; one hook with hookId). */
  async stats(o: { allTenants?: boolean; hookId?: string } = {}): Promise<ServiceStats> {
    const r = await this.call<pb.IStatsResponse>('stats', { allTenants: !!o.allTenants, hookId: o.hookId ?? '' });
    return {
      since: r.since ?? '', latencyWindow: r.latencyWindow ?? 0,
      hooks: (r.hooks ?? []).map((h) => ({
        hookId: h.hookId ?? '', hookName: h.hookName ?? '', tenant: h.tenant ?? '', enabled: !!h.enabled,
        events: Number(h.events ?? 0), ok: Number(h.ok ?? 0), failed: Number(h.failed ?? 0),
        timedOut: Number(h.timedOut ?? 0), skipped: Number(h.skipped ?? 0),
        p50Ms: h.p50Ms ?? 0, p99Ms: h.p99Ms ?? 0, latencySamples: h.latencySamples ?? 0,
        ...(h.lastEventAt ? { lastEventAt: h.lastEventAt } : {}),
        ...(h.suspension ? { suspension: decodeSuspension(h.suspension) } : {}),
      })),
      tenants: (r.tenants ?? []).map((t) => ({ tenant: t.tenant ?? '', eventsInFlight: t.eventsInFlight ?? 0 })),
    };
  }

  /** This tenant's hooks; with allTenants (admin credentials), every tenant's. */
  async list(o: { allTenants?: boolean } = {}): Promise<HookInfo[]> {
    return ((await this.call<pb.IListHooksResponse>('list', { allTenants: !!o.allTenants })).hooks ?? []).map(decodeHook);
  }

  async get(id: string): Promise<HookInfo> {
    return decodeHook(await this.call<pb.IHook>('get', { id }));
  }

  async remove(id: string): Promise<void> {
    await this.call('remove', { id });
  }

  async setEnabled(id: string, enabled: boolean): Promise<HookInfo> {
    return decodeHook(await this.call<pb.IHook>('setEnabled', { id, enabled }));
  }

  /** Every hook when id is omitted. */
  async reload(id?: string): Promise<HookInfo[]> {
    return ((await this.call<pb.IReloadResponse>('reload', { id: id ?? '' })).hooks ?? []).map(decodeHook);
  }

  close() {
    this.client.close();
  }
}
