// The service's logs and metrics, assembled: the logger, the service metrics
// (fed by the outcome feed and the sandbox's events), the hooks' own metrics,
// and the /metrics listener.
import type { OutcomeFeed } from '../dispatch/outcome-feed.js';
import type { HookHealth } from '../hooks/hook-health.js';
import type { SandboxEvents } from '../sandbox/sandbox-events.js';
import { createLogger, type Logger } from './logger.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { logOutcomes } from './outcome-log.js';
import { ServiceMetrics } from './service-metrics.js';
import { HookMetricsStore } from './hook-metrics-store.js';
import type { ObserveSettings } from './settings.js';

export interface ObserveOptions {
  /** Where the service's structured log goes; default: from the config's log settings. */
  logger?: Logger;
}

/** What the metrics read from the running service when scraped. */
export interface ObservedService {
  feed: OutcomeFeed;
  health: HookHealth;
  inFlight(): ReadonlyMap<string, number>;
  /** Undefined for a hook that no longer exists. */
  tenantOfHook(id: string): string | undefined;
}

/** The service's logger: the one given, else the config's level and format, its lines to the config's sink (else standard error). */
export function serviceLogger(s: ObserveSettings, given?: Logger): Logger {
  return given ?? createLogger({ level: s.logLevel, format: s.logFormat, sink: s.logSink });
}

export class Observability {
  readonly metrics: ServiceMetrics;
  readonly hookMetrics: HookMetricsStore;
  /** Hooks seen in outcomes, for the suspended-hooks gauge. */
  private readonly seenHooks = new Map<string, string>();
  /** Tenants seen in outcomes: their gauges read 0 rather than vanish. */
  private readonly tenants = new Set<string>();
  private service: ObservedService | undefined;
  private stopWatching: (() => void)[] = [];
  server: MetricsServer | undefined;

  constructor(readonly logger: Logger) {
    this.metrics = new ServiceMetrics({
      inFlight: () => this.perTenant(this.service?.inFlight() ?? new Map()),
      suspended: () => this.perTenant(this.suspended()),
    });
    this.hookMetrics = new HookMetricsStore((id) => this.service?.tenantOfHook(id) !== undefined);
  }

  /** The sandbox's events, counted (the hook thread logs its own replacement). */
  get sandbox(): SandboxEvents {
    return this.metrics.sandbox;
  }

  /** Starts watching the service's outcomes. */
  attach(service: ObservedService): void {
    this.service = service;
    this.stopWatching.push(
      service.feed.watch((e) => {
        this.metrics.recordOutcome(e);
        this.tenants.add(e.tenant);
        for (const h of e.outcome.hooks) {
          this.seenHooks.set(h.hookId, e.tenant);
          if (h.metrics?.length) this.hookMetrics.apply(e.tenant, h.hookId, h.hookName, h.metrics);
        }
      }),
      logOutcomes(service.feed, this.logger),
    );
  }

  /** An event not admitted (too many in flight, out of order, no JobStart): counted, and logged with why. */
  eventRejected(tenant: string, director: string, event: string, eventId: string, error: unknown): void {
    this.metrics.recordRejected(tenant, event);
    const code = (error as { code?: unknown }).code;
    this.logger.warn({ tenant, director, event, eventId, code: typeof code === 'string' ? code : 'internal', error: (error as Error).message }, 'event rejected');
  }

  /** Serves /metrics on `listen` ("" serves none). A port that cannot be bound is logged, and the service goes on without it. */
  async listen(listen: string): Promise<void> {
    if (!listen) return;
    try {
      this.server = await startMetricsServer(listen, () => this.render());
      this.logger.info({ address: this.server.address }, `metrics endpoint listening on http://${this.server.address}/metrics`);
    } catch (e) {
      this.logger.error({ listen, error: (e as Error).message }, 'cannot serve the metrics endpoint; the service runs without it');
    }
  }

  /** The exposition: the service's metrics, then the hooks'. */
  async render(): Promise<{ contentType: string; body: string }> {
    const own = await this.metrics.registry.metrics();
    return { contentType: this.metrics.registry.contentType, body: own + this.hookMetrics.exposition() };
  }

  /** Every tenant seen, at 0 unless `counts` says otherwise. */
  private perTenant(counts: ReadonlyMap<string, number>): Map<string, number> {
    const out = new Map<string, number>([...this.tenants].map((t) => [t, 0]));
    for (const [t, n] of counts) out.set(t, n);
    return out;
  }

  private suspended(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [id, tenant] of this.seenHooks) {
      if (this.service?.tenantOfHook(id) === undefined) {
        this.seenHooks.delete(id);
        continue;
      }
      if (this.service.health.suspension(id)) out.set(tenant, (out.get(tenant) ?? 0) + 1);
    }
    return out;
  }

  async close(): Promise<void> {
    for (const stop of this.stopWatching.splice(0)) stop();
    await this.server?.close();
    this.server = undefined;
  }
}
