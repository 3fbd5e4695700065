// The admin API: register, list, get, remove, enable/disable, reload. A
// caller sees its own tenant's hooks; an admin credential sees every tenant's.
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { bacula } from '../gen/hooks-proto.js';
import { EVENT_NAMES, fromProtoNumber, toProtoNumber } from '../model/enums.js';
import { WASI_GRANTS } from '../components/grants.js';
import { eventTypeNumber } from '../wire/codec.js';
import type { HookRecord } from '../registry/hook-record.js';
import type { HookCatalog } from '../hooks/hook-catalog.js';
import { HookServiceError, invalidArgument } from '../errors.js';
import type { ServiceContext } from './service-context.js';
import type { Caller } from './caller.js';
import { Undecodable } from './lenient-codec.js';

import pb = bacula.hooks.v1;

const POLICIES = ['fail-open', 'fail-closed'] as const;

export function encodeHook(catalog: HookCatalog, h: HookRecord): pb.IHook {
  const l = catalog.limitsOf(h);
  const s = catalog.health.suspension(h.id);
  return {
    id: h.id, name: h.name, sha256: h.sha256, size: h.size, tenant: h.tenant,
    events: h.events.map(eventTypeNumber),
    settings: {
      order: h.order,
      failurePolicy: POLICIES.indexOf(h.failurePolicy) + 1,
      grantCatalogPassword: h.grantCatalogPassword,
      limits: { deadlineMs: l.deadlineMs, memoryMib: l.memoryMiB, reportLines: l.reportLines, reportBytes: l.reportBytes, directorCalls: l.directorCalls },
      httpAllowedHosts: h.httpAllowedHosts ?? [],
      wasiGrants: (h.wasiGrants ?? []).map((g) => toProtoNumber(WASI_GRANTS, g)),
    },
    enabled: h.enabled, createdAt: h.createdAt, imports: h.imports, generation: h.generation,
    suspension: s && { until: s.until.toISOString(), consecutiveFailures: s.consecutiveFailures, reason: s.reason },
  };
}

type Handler<Req, Res> = (req: Req, caller: Caller) => Promise<Res>;

/** Wraps an async handler: the caller authenticated, undecodable requests and thrown errors as gRPC statuses. */
function unary<Req, Res>(ctx: ServiceContext, fn: Handler<Req, Res>) {
  return (call: ServerUnaryCall<Req | Undecodable, Res>, done: sendUnaryData<Res>) => {
    let caller: Caller;
    try {
      caller = ctx.callerOf(call);
    } catch (e) {
      return done(HookServiceError.from(e).toStatus());
    }
    if (call.request instanceof Undecodable) return done(invalidArgument(call.request.message).toStatus());
    fn(call.request, caller).then((r) => done(null, r), (e) => done(HookServiceError.from(e).toStatus()));
  };
}

export function adminHandlers(ctx: ServiceContext) {
  const { catalog } = ctx;
  /** The tenant an id-addressed call acts in: an admin acts in the hook's own tenant. */
  const tenantFor = (caller: Caller, id: string) => (caller.admin ? catalog.tenantOfHook(id) ?? caller.tenant : caller.tenant);
  const encode = (h: HookRecord) => encodeHook(catalog, h);
  return {
    register: unary<pb.RegisterHookRequest, pb.IHook>(ctx, async (r, caller) => {
      const events = r.events.map((n, i) => {
        const e = fromProtoNumber(EVENT_NAMES, n);
        if (!e) throw invalidArgument(`events[${i}]: ${n} is not an EventType`);
        return e;
      });
      const policy = r.settings?.failurePolicy ? fromProtoNumber(POLICIES, r.settings.failurePolicy) : 'fail-open';
      if (!policy) throw invalidArgument(`settings.failure_policy: ${r.settings?.failurePolicy} is not a FailurePolicy`);
      if (!r.component?.length) throw invalidArgument('component: the component bytes are empty');
      const l = r.settings?.limits;
      return encode(await catalog.register(caller.tenant, {
        name: r.name, component: r.component, events,
        order: r.settings?.order ?? 0, failurePolicy: policy,
        grantCatalogPassword: r.settings?.grantCatalogPassword ?? false,
        httpAllowedHosts: r.settings?.httpAllowedHosts ?? [],
        wasiGrants: (r.settings?.wasiGrants ?? []).map((n, i) => {
          const g = fromProtoNumber(WASI_GRANTS, n);
          if (!g) throw invalidArgument(`settings.wasi_grants[${i}]: ${n} is not a WasiGrant`);
          return g;
        }),
        limits: {
          deadlineMs: l?.deadlineMs ?? 0, memoryMiB: l?.memoryMib ?? 0, reportLines: l?.reportLines ?? 0,
          reportBytes: l?.reportBytes ?? 0, directorCalls: l?.directorCalls ?? 0,
        },
      }));
    }),
    list: unary<pb.ListHooksRequest, pb.IListHooksResponse>(ctx, async (r, caller) => {
      if (r.allTenants && !caller.admin) throw new HookServiceError('permission-denied', 'all_tenants needs admin credentials');
      return { hooks: (r.allTenants ? catalog.listAll() : catalog.list(caller.tenant)).map(encode) };
    }),
    get: unary<pb.HookRef, pb.IHook>(ctx, async (r, caller) => encode(catalog.get(tenantFor(caller, r.id), r.id))),
    remove: unary<pb.HookRef, pb.IRemoveHookResponse>(ctx, async (r, caller) => {
      await catalog.remove(tenantFor(caller, r.id), r.id);
      return {};
    }),
    setEnabled: unary<pb.SetEnabledRequest, pb.IHook>(ctx, async (r, caller) => encode(await catalog.setEnabled(tenantFor(caller, r.id), r.id, r.enabled))),
    reload: unary<pb.ReloadRequest, pb.IReloadResponse>(ctx, async (r, caller) => ({
      hooks: (await catalog.reload(r.id ? tenantFor(caller, r.id) : caller.tenant, r.id || undefined)).map(encode),
    })),
  };
}
