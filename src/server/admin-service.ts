// The admin API: register, list, get, remove, enable/disable, reload.
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { bacula } from '../gen/hooks-proto.js';
import { EVENT_NAMES, fromProtoNumber } from '../model/enums.js';
import { eventTypeNumber } from '../wire/codec.js';
import type { HookRecord } from '../registry/hook-record.js';
import { HookServiceError, invalidArgument } from '../errors.js';
import type { ServiceContext } from './service-context.js';
import { Undecodable } from './lenient-codec.js';

import pb = bacula.hooks.v1;

const POLICIES = ['fail-open', 'fail-closed'] as const;

export function encodeHook(h: HookRecord): pb.IHook {
  return {
    id: h.id, name: h.name, sha256: h.sha256, size: h.size,
    events: h.events.map(eventTypeNumber),
    settings: {
      order: h.order,
      failurePolicy: POLICIES.indexOf(h.failurePolicy) + 1,
      grantCatalogPassword: h.grantCatalogPassword,
    },
    enabled: h.enabled, createdAt: h.createdAt, imports: h.imports, generation: h.generation,
  };
}

type Handler<Req, Res> = (req: Req, tenant: string) => Promise<Res>;

/** Wraps an async handler: undecodable requests and thrown errors become gRPC statuses. */
function unary<Req, Res>(ctx: ServiceContext, fn: Handler<Req, Res>) {
  return (call: ServerUnaryCall<Req | Undecodable, Res>, done: sendUnaryData<Res>) => {
    if (call.request instanceof Undecodable) return done(invalidArgument(call.request.message).toStatus());
    fn(call.request, ctx.tenantOf(call)).then((r) => done(null, r), (e) => done(HookServiceError.from(e).toStatus()));
  };
}

export function adminHandlers(ctx: ServiceContext) {
  const { catalog } = ctx;
  return {
    register: unary<pb.RegisterHookRequest, pb.IHook>(ctx, async (r, tenant) => {
      const events = r.events.map((n, i) => {
        const e = fromProtoNumber(EVENT_NAMES, n);
        if (!e) throw invalidArgument(`events[${i}]: ${n} is not an EventType`);
        return e;
      });
      const policy = r.settings?.failurePolicy ? fromProtoNumber(POLICIES, r.settings.failurePolicy) : 'fail-open';
      if (!policy) throw invalidArgument(`settings.failure_policy: ${r.settings?.failurePolicy} is not a FailurePolicy`);
      if (!r.component?.length) throw invalidArgument('component: the component bytes are empty');
      return encodeHook(await catalog.register(tenant, {
        name: r.name, component: r.component, events,
        order: r.settings?.order ?? 0, failurePolicy: policy,
        grantCatalogPassword: r.settings?.grantCatalogPassword ?? false,
      }));
    }),
    list: unary<pb.ListHooksRequest, pb.IListHooksResponse>(ctx, async (_r, tenant) => ({ hooks: catalog.list(tenant).map(encodeHook) })),
    get: unary<pb.HookRef, pb.IHook>(ctx, async (r, tenant) => encodeHook(catalog.get(tenant, r.id))),
    remove: unary<pb.HookRef, pb.IRemoveHookResponse>(ctx, async (r, tenant) => {
      await catalog.remove(tenant, r.id);
      return {};
    }),
    setEnabled: unary<pb.SetEnabledRequest, pb.IHook>(ctx, async (r, tenant) => encodeHook(await catalog.setEnabled(tenant, r.id, r.enabled))),
    reload: unary<pb.ReloadRequest, pb.IReloadResponse>(ctx, async (r, tenant) => ({ hooks: (await catalog.reload(tenant, r.id || undefined)).map(encodeHook) })),
  };
}
