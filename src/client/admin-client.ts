// Typed, promise-based admin API: register, list, get, remove, enable/disable, reload.
import { bacula } from '../gen/hooks-proto.js';
import { EVENT_NAMES, fromProtoNumber, toProtoNumber, type EventName } from '../model/enums.js';
import { WASI_GRANTS, type WasiGrant } from '../components/grants.js';
import { eventTypeNumber } from '../wire/codec.js';
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
    ...(h.suspension ? { suspension: { until: h.suspension.until ?? '', consecutiveFailures: h.suspension.consecutiveFailures ?? 0, reason: h.suspension.reason ?? '' } } : {}),
  };
}

export class AdminClient {
  private readonly client;

  constructor(address: string, options: ConnectOptions = {}) {
    this.client = grpcClient('admin', address, options);
  }

  private call<Res>(method: string, req: object): Promise<Res> {
    return new Promise((resolve, reject) => {
      this.client[method](req, (e: Parameters<typeof HookClientError.fromGrpc>[0] | null, res: Res) =>
        (e ? reject(HookClientError.fromGrpc(e)) : resolve(res)));
    });
  }

  async register(o: RegisterOptions): Promise<HookInfo> {
    const req: pb.IRegisterHookRequest = {
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
    return decodeHook(await this.call<pb.IHook>('register', req));
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
