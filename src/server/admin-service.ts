// The admin API: register (plain or with progress), list, get, remove,
// enable/disable, reload, and the observing calls: tail (settled events as
// they settle) and stats (per-hook counters). A caller sees its own tenant's
// hooks; an admin credential sees every tenant's.
import { Metadata, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import { bacula } from '../gen/hooks-proto.js';
import { EVENT_NAMES, fromProtoNumber, toProtoNumber } from '../model/enums.js';
import { WASI_GRANTS } from '../components/grants.js';
import { eventTypeNumber } from '../wire/codec.js';
import type { HookRecord } from '../registry/hook-record.js';
import type { HookCatalog, RegisterPhase, RegisterRequest } from '../hooks/hook-catalog.js';
import { LATENCY_WINDOW } from '../hooks/hook-stats.js';
import type { SettledEvent } from '../dispatch/outcome-feed.js';
import { encodeOutcome } from '../wire/codec.js';
import { HookServiceError, badField, invalidArgument, withMetadata } from '../errors.js';
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

type Stream<Req, Res> = ServerWritableStream<Req | Undecodable, Res>;
/** Ends a stream with the error's status (and details). */
const failStream = (call: Stream<unknown, unknown>, e: unknown) => call.emit('error', HookServiceError.from(e).toStatus());

/** Wraps a server-streaming handler as unary() does: the caller authenticated, undecodable requests and thrown errors as statuses. */
function streaming<Req, Res>(ctx: ServiceContext, fn: (call: Stream<Req, Res>, req: Req, caller: Caller) => void) {
  return (call: Stream<Req, Res>) => {
    try {
      const caller = ctx.callerOf(call);
      if (call.request instanceof Undecodable) throw invalidArgument(call.request.message);
      fn(call, call.request, caller);
    } catch (e) {
      failStream(call, e);
    }
  };
}

const PHASES: (RegisterPhase | 'received')[] = ['received', 'checking', 'transpiling', 'instantiating', 'storing'];

/** A Register request as the catalog takes it; a field that is not what it should be is INVALID_ARGUMENT naming it. */
function registerRequest(r: pb.RegisterHookRequest): RegisterRequest {
  const events = r.events.map((n, i) => {
    const e = fromProtoNumber(EVENT_NAMES, n);
    if (!e) throw badField(`events[${i}]`, `${n} is not an EventType`);
    return e;
  });
  const policy = r.settings?.failurePolicy ? fromProtoNumber(POLICIES, r.settings.failurePolicy) : 'fail-open';
  if (!policy) throw badField('settings.failure_policy', `${r.settings?.failurePolicy} is not a FailurePolicy`);
  if (!r.component?.length) throw badField('component', 'the component bytes are empty');
  const l = r.settings?.limits;
  return {
    name: r.name, component: r.component, events,
    order: r.settings?.order ?? 0, failurePolicy: policy,
    grantCatalogPassword: r.settings?.grantCatalogPassword ?? false,
    httpAllowedHosts: r.settings?.httpAllowedHosts ?? [],
    wasiGrants: (r.settings?.wasiGrants ?? []).map((n, i) => {
      const g = fromProtoNumber(WASI_GRANTS, n);
      if (!g) throw badField(`settings.wasi_grants[${i}]`, `${n} is not a WasiGrant`);
      return g;
    }),
    limits: {
      deadlineMs: l?.deadlineMs ?? 0, memoryMiB: l?.memoryMib ?? 0, reportLines: l?.reportLines ?? 0,
      reportBytes: l?.reportBytes ?? 0, directorCalls: l?.directorCalls ?? 0,
    },
  };
}

const adminRequired = (what: string) =>
  new HookServiceError('permission-denied', `${what} needs admin credentials`, { reason: 'ADMIN_REQUIRED', metadata: { field: what } });

/** The part of a settled event a tail with a hook filter shows: that hook's outcome and report lines only. */
function tailEntry(e: SettledEvent, hookId: string, dropped: number): pb.ITailEntry {
  const outcome = encodeOutcome(e.outcome);
  if (hookId) {
    outcome.hooks = outcome.hooks!.filter((h) => h.hookId === hookId);
    outcome.report = outcome.hooks.flatMap((h) => h.report ?? []);
  }
  return { tenant: e.tenant, director: e.director, at: e.at.toISOString(), outcome, dropped };
}

export function adminHandlers(ctx: ServiceContext) {
  const { catalog } = ctx;
  /** The tenant an id-addressed call acts in: an admin acts in the hook's own tenant. */
  const tenantFor = (caller: Caller, id: string) => (caller.admin ? catalog.tenantOfHook(id) ?? caller.tenant : caller.tenant);
  const encode = (h: HookRecord) => encodeHook(catalog, h);
  /** Every refusal of a registration names the tenant and the hook it was about. */
  const register = (r: pb.RegisterHookRequest, caller: Caller, onPhase?: (p: RegisterPhase) => void) =>
    Promise.resolve().then(() => catalog.register(caller.tenant, registerRequest(r), onPhase))
      .catch((e) => { throw withMetadata(e, { tenant: caller.tenant, hook: r.name }); });

  /** The hooks a stats or tail call is about, in the caller's view. */
  const scope = (caller: Caller, allTenants: boolean, hookId: string): HookRecord[] => {
    if (allTenants && !caller.admin) throw adminRequired('all_tenants');
    if (hookId) return [catalog.get(tenantFor(caller, hookId), hookId)];
    return allTenants ? catalog.listAll() : catalog.list(caller.tenant);
  };

  return {
    register: unary<pb.RegisterHookRequest, pb.IHook>(ctx, async (r, caller) => encode(await register(r, caller))),

    /** Register with its phases streamed; the status on failure is the one Register gives. */
    registerWithProgress: streaming<pb.RegisterHookRequest, pb.IRegisterProgress>(ctx, (call, r, caller) => {
      const phase = (p: RegisterPhase | 'received') => call.write({ phase: PHASES.indexOf(p) + 1, bytes: r.component?.length ?? 0 });
      phase('received');
      register(r, caller, phase).then((h) => {
        call.write({ hook: encode(h) });
        call.end();
      }, (e) => failStream(call, e));
    }),

    list: unary<pb.ListHooksRequest, pb.IListHooksResponse>(ctx, async (r, caller) => {
      if (r.allTenants && !caller.admin) throw adminRequired('all_tenants');
      return { hooks: (r.allTenants ? catalog.listAll() : catalog.list(caller.tenant)).map(encode) };
    }),
    get: unary<pb.HookRef, pb.IHook>(ctx, async (r, caller) => encode(catalog.get(tenantFor(caller, r.id), r.id))),
    remove: unary<pb.HookRef, pb.IRemoveHookResponse>(ctx, async (r, caller) => {
      await catalog.remove(tenantFor(caller, r.id), r.id);
      ctx.stats.forget(r.id);
      return {};
    }),
    setEnabled: unary<pb.SetEnabledRequest, pb.IHook>(ctx, async (r, caller) => encode(await catalog.setEnabled(tenantFor(caller, r.id), r.id, r.enabled))),
    reload: unary<pb.ReloadRequest, pb.IReloadResponse>(ctx, async (r, caller) => ({
      hooks: (await catalog.reload(r.id ? tenantFor(caller, r.id) : caller.tenant, r.id || undefined)).map(encode),
    })),

    stats: unary<pb.StatsRequest, pb.IStatsResponse>(ctx, async (r, caller) => {
      const hooks = scope(caller, r.allTenants, r.hookId);
      const tenants = [...new Set(r.allTenants || r.hookId ? hooks.map((h) => h.tenant) : [caller.tenant])].sort();
      return {
        since: ctx.stats.since.toISOString(),
        latencyWindow: LATENCY_WINDOW,
        hooks: hooks.map((h) => {
          const c = ctx.stats.of(h.id);
          const s = catalog.health.suspension(h.id);
          return {
            hookId: h.id, hookName: h.name, tenant: h.tenant, enabled: h.enabled,
            events: c.events, ok: c.byStatus.ok, failed: c.byStatus.failed, timedOut: c.byStatus['timed-out'], skipped: c.byStatus.skipped,
            p50Ms: c.p50Ms, p99Ms: c.p99Ms, latencySamples: c.latencySamples,
            lastEventAt: c.lastEventAt?.toISOString() ?? '',
            suspension: s && { until: s.until.toISOString(), consecutiveFailures: s.consecutiveFailures, reason: s.reason },
          };
        }),
        tenants: tenants.map((t) => ({ tenant: t, eventsInFlight: ctx.dispatcher.inFlightOf(t) })),
      };
    }),

    /**
     * Settled events until the caller cancels or the service closes. Initial
     * metadata goes out once the feed is watched, so a client knows from then
     * on it misses nothing. A reader that falls behind loses entries rather
     * than growing the service's memory; the next entry it gets counts them.
     */
    tail: streaming<pb.TailRequest, pb.ITailEntry>(ctx, (call, r, caller) => {
      const hooks = scope(caller, r.allTenants, r.hookId);
      const tenant = r.allTenants ? undefined : r.hookId ? hooks[0].tenant : caller.tenant;
      const event = r.event ? fromProtoNumber(EVENT_NAMES, r.event) : undefined;
      if (r.event && !event) throw badField('event', `${r.event} is not an EventType`);
      let blocked = false;
      let dropped = 0;
      const unwatch = ctx.dispatcher.feed.watch((e) => {
        if (tenant !== undefined && e.tenant !== tenant) return;
        if (event && e.outcome.type !== event) return;
        if (r.jobId && e.outcome.jobId !== r.jobId) return;
        if (r.hookId && !e.outcome.hooks.some((h) => h.hookId === r.hookId)) return;
        if (blocked) return void dropped++;
        blocked = !call.write(tailEntry(e, r.hookId, dropped));
        dropped = 0;
      });
      call.on('drain', () => { blocked = false; });
      const stop = () => {
        unwatch();
        ctx.closing.removeEventListener('abort', end);
      };
      const end = () => {
        stop();
        call.end();
      };
      call.on('cancelled', stop);
      call.on('close', stop);
      call.on('error', stop);
      if (ctx.closing.aborted) return end();
      ctx.closing.addEventListener('abort', end);
      call.sendMetadata(new Metadata());
    }),
  };
}
