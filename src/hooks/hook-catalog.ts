// The service's hooks: registration (validated end to end), the admin
// operations, and the fast in-memory lookup the dispatcher uses per event.
import { createHash, randomUUID } from 'node:crypto';
import type { EventName } from '../model/enums.js';
import { EVENT_NAMES } from '../model/enums.js';
import type { HookRegistry } from '../registry/registry.js';
import { byRunOrder, type FailurePolicy, type HookRecord } from '../registry/hook-record.js';
import type { ComponentCompiler, TranspiledHook } from '../components/component-compiler.js';
import { checkBinary } from '../components/component-check.js';
import type { HookRunner } from '../sandbox/hook-runner.js';
import type { HookRef } from '../sandbox/worker/hook-protocol.js';
import { HookServiceError, badField, invalidArgument, notFound } from '../errors.js';
import { effectiveLimits, type LimitSet, type ServiceConfig } from '../config.js';
import { HookHealth } from './hook-health.js';
import { isLinkLocal } from '../capabilities/http-client.js';
import { WASI_GRANTS, type Grant, type WasiGrant } from '../components/grants.js';

export interface RegisterRequest {
  name: string;
  component: Uint8Array;
  /** Empty: every event. */
  events: EventName[];
  order?: number;
  failurePolicy?: FailurePolicy;
  grantCatalogPassword?: boolean;
  /** Limits asked for (0 or absent: the tenant's default); never above the service ceiling. */
  limits?: Partial<LimitSet>;
  /** Outbound HTTP destinations granted: "host" or "host:port". */
  httpAllowedHosts?: string[];
  /** WASI capabilities granted. */
  wasiGrants?: WasiGrant[];
}

const HOOK_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

/** The phases of a registration, in order, for callers that show progress. */
export type RegisterPhase = 'checking' | 'transpiling' | 'instantiating' | 'storing';

export class HookCatalog {
  private hooks = new Map<string, HookRecord>();
  /** Each tenant's hooks in run order, for the per-event lookup; dropped on any change. */
  private runOrder = new Map<string, HookRecord[]>();
  private transpiled = new Map<string, Promise<TranspiledHook>>();
  /** Names being registered right now, so two uploads of one name cannot both win. */
  private reserving = new Set<string>();
  private seq = 0;
  /** Metadata changes run one at a time, so a remove cannot race a save that would bring the hook back. */
  private changes: Promise<unknown> = Promise.resolve();

  readonly health: HookHealth;

  constructor(
    private readonly registry: HookRegistry,
    private readonly compiler: ComponentCompiler,
    private readonly runner: HookRunner,
    private readonly config: ServiceConfig,
  ) {
    this.health = new HookHealth(config.suspendAfterFailures, config.suspendBackoffMs);
  }

  /** The limits a hook runs with now. */
  limitsOf(h: Pick<HookRecord, 'tenant' | 'limits'>): LimitSet {
    return effectiveLimits(this.config, h.tenant, h.limits);
  }

  /** Loads every stored hook; transpiling (or reading the cache) starts at once in the background. */
  async load(): Promise<void> {
    for (const h of await this.registry.listHooks()) {
      this.put(h);
      this.seq = Math.max(this.seq, h.seq);
      // Transpile (or read the cache) and instantiate in the background; a failure surfaces on the hook's first event.
      this.ref(h).then((ref) => this.runner.prepare(ref)).catch(() => undefined);
    }
  }

  private prepare(h: HookRecord): Promise<TranspiledHook> {
    let p = this.transpiled.get(h.sha256);
    if (!p) {
      p = this.compiler.transpiled(h.sha256, () => this.registry.getComponent(h.sha256));
      p.catch(() => this.transpiled.delete(h.sha256));
      this.transpiled.set(h.sha256, p);
    }
    return p;
  }

  private serially<T>(change: () => Promise<T>): Promise<T> {
    const run = this.changes.then(change);
    this.changes = run.catch(() => undefined);
    return run;
  }

  /**
   * Checks the component from the cheapest test to the dearest (size and
   * magic, world, transpile, instantiation where its events will run) and
   * stores it only once all passed: a refused upload leaves nothing behind.
   */
  async register(tenant: string, r: RegisterRequest, onPhase: (phase: RegisterPhase) => void = () => {}): Promise<HookRecord> {
    if (!HOOK_NAME.test(r.name)) {
      throw badField('name', `${JSON.stringify(r.name)} is not a hook name (lowercase letters, digits, "_.-", 1-63 characters, starting with a letter or digit)`, { tenant });
    }
    const key = `${tenant}\0${r.name}`;
    if (this.reserving.has(key) || this.find(tenant, r.name)) {
      throw new HookServiceError('already-exists', `a hook named "${r.name}" is already registered; remove it first or choose another name`,
        { reason: 'HOOK_NAME_TAKEN', metadata: { tenant, hook: r.name } });
    }
    this.reserving.add(key);
    const id = randomUUID();
    let sha256 = '';
    try {
      if (this.list(tenant).length >= this.config.limits.hooksPerTenant) {
        throw new HookServiceError('resource-exhausted', `tenant "${tenant}" already has ${this.config.limits.hooksPerTenant} hooks, its limit; remove one first`,
          { reason: 'HOOKS_PER_TENANT_LIMIT', metadata: { tenant, limit: 'hooksPerTenant', max: String(this.config.limits.hooksPerTenant) } });
      }
      onPhase('checking');
      checkBinary(r.component, this.config.maxComponentBytes);
      const httpAllowedHosts = checkHosts(r.httpAllowedHosts ?? []);
      const wasiGrants = WASI_GRANTS.filter((g) => r.wasiGrants?.includes(g));
      const granted = new Set<Grant>([...wasiGrants, ...(httpAllowedHosts.length ? ['http'] as const : [])]);
      const world = await this.compiler.checkWorld(r.component, granted);
      sha256 = createHash('sha256').update(r.component).digest('hex');
      onPhase('transpiling');
      const transpiled = await this.compiler.transpiled(sha256, async () => r.component)
        .catch((e) => { throw invalidArgument((e as Error).message, { reason: 'TRANSPILE_FAILED', metadata: { tenant, hook: r.name } }); });
      const limits = clean(r.limits);
      onPhase('instantiating');
      await this.runner.prepare({
        id, tenant, name: r.name, generation: 1, dir: transpiled.dir, entry: transpiled.entry,
        grantCatalogPassword: !!r.grantCatalogPassword, limits: this.limitsOf({ tenant, limits }), httpAllowedHosts, wasiGrants,
      })
        .catch((e) => {
          throw invalidArgument(`the component does not instantiate as a hook: ${(e as Error).message}`,
            { reason: 'INSTANTIATION_FAILED', metadata: { tenant, hook: r.name } });
        });
      const hook: HookRecord = {
        id,
        tenant,
        name: r.name,
        sha256,
        size: r.component.length,
        events: r.events.length ? [...new Set(r.events)].sort((a, b) => EVENT_NAMES.indexOf(a) - EVENT_NAMES.indexOf(b)) : [...EVENT_NAMES],
        order: r.order ?? 0,
        seq: ++this.seq,
        failurePolicy: r.failurePolicy ?? 'fail-open',
        grantCatalogPassword: r.grantCatalogPassword ?? false,
        limits,
        httpAllowedHosts,
        wasiGrants,
        enabled: true,
        createdAt: new Date().toISOString(),
        imports: world.imports,
        generation: 1,
      };
      onPhase('storing');
      return await this.serially(async () => {
        await this.registry.putComponent(r.component);
        await this.registry.saveHook(hook);
        this.put(hook);
        this.transpiled.set(sha256, Promise.resolve(transpiled));
        return hook;
      });
    } catch (e) {
      await this.runner.drop({ id, tenant });
      if (sha256 && !this.inUse(sha256)) await this.compiler.discard(sha256);
      throw e;
    } finally {
      this.reserving.delete(key);
    }
  }

  private inUse(sha256: string) {
    return [...this.hooks.values()].some((h) => h.sha256 === sha256);
  }

  private find(tenant: string, name: string) {
    return [...this.hooks.values()].find((h) => h.tenant === tenant && h.name === name);
  }

  /** Every tenant's hooks, for admin credentials. */
  listAll(): HookRecord[] {
    return [...this.hooks.values()].sort((a, b) => a.seq - b.seq);
  }

  tenantOfHook(id: string): string | undefined {
    return this.hooks.get(id)?.tenant;
  }

  list(tenant: string): HookRecord[] {
    return [...this.hooks.values()].filter((h) => h.tenant === tenant).sort((a, b) => a.seq - b.seq);
  }

  get(tenant: string, id: string): HookRecord {
    const h = this.hooks.get(id);
    if (!h || h.tenant !== tenant) throw notFound(`no hook with id "${id}"`, { reason: 'HOOK_NOT_FOUND', metadata: { tenant, hook: id } });
    return h;
  }

  remove(tenant: string, id: string): Promise<void> {
    return this.serially(async () => {
      const h = this.get(tenant, id);
      this.forget(id);
      await this.registry.removeHook(id);
      this.health.reset(id);
      await this.runner.drop(h);
      if (!this.inUse(h.sha256)) {
        this.transpiled.delete(h.sha256);
        await this.registry.deleteComponent(h.sha256);
        await this.compiler.discard(h.sha256);
      }
    });
  }

  setEnabled(tenant: string, id: string, enabled: boolean): Promise<HookRecord> {
    return this.serially(async () => {
      const h = { ...this.get(tenant, id), enabled };
      await this.registry.saveHook(h);
      this.put(h);
      if (enabled) this.health.reset(id);
      return h;
    });
  }

  /** Bacula's "python restart": a new generation of each hook is instantiated from the stored component. */
  reload(tenant: string, id?: string): Promise<HookRecord[]> {
    return this.serially(async () => {
      const targets = id ? [this.get(tenant, id)] : this.list(tenant);
      const out: HookRecord[] = [];
      for (const old of targets) {
        const h = { ...old, generation: old.generation + 1 };
        await this.registry.saveHook(h);
        this.put(h);
        this.health.reset(h.id);
        // Events already queued in the worker finish on the old instance; later ones get this one.
        await this.runner.prepare(await this.ref(h)).catch(() => undefined);
        out.push(h);
      }
      return out;
    });
  }

  private put(h: HookRecord) {
    this.hooks.set(h.id, h);
    this.runOrder.delete(h.tenant);
  }

  private forget(id: string) {
    const h = this.hooks.get(id);
    this.hooks.delete(id);
    if (h) this.runOrder.delete(h.tenant);
  }

  /** Enabled hooks of a tenant registered for an event, in run order (on every event: no scan of other tenants). */
  hooksFor(tenant: string, event: EventName): HookRecord[] {
    let ordered = this.runOrder.get(tenant);
    if (!ordered) {
      ordered = this.list(tenant).sort(byRunOrder);
      this.runOrder.set(tenant, ordered);
    }
    return ordered.filter((h) => h.enabled && h.events.includes(event));
  }

  /** What a worker needs to run the hook; waits for its transpile when a restart is still warming up. */
  async ref(h: HookRecord): Promise<HookRef> {
    const t = await this.prepare(h);
    return {
      id: h.id, tenant: h.tenant, name: h.name, generation: h.generation, dir: t.dir, entry: t.entry,
      grantCatalogPassword: h.grantCatalogPassword, limits: this.limitsOf(h), httpAllowedHosts: h.httpAllowedHosts ?? [],
      wasiGrants: h.wasiGrants ?? [],
    };
  }
}

/** Requested limits without the zeros and absences that mean "the default". */
function clean(l: Partial<LimitSet> = {}): Partial<LimitSet> {
  return Object.fromEntries(Object.entries(l).filter(([, v]) => typeof v === 'number' && v > 0)) as Partial<LimitSet>;
}

/** Granted HTTP destinations, checked: "host" or "host:port", never a link-local address. */
function checkHosts(hosts: string[]): string[] {
  return hosts.map((h, i) => {
    const entry = h.trim().toLowerCase();
    const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(entry);
    if (!m || (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535))) {
      throw badField(`http_allowed_hosts[${i}]`, `${JSON.stringify(h)} is not "host" or "host:port"`);
    }
    if (isLinkLocal(m[1].replace(/^\[|\]$/g, ''))) throw badField(`http_allowed_hosts[${i}]`, `${h} is link-local: never granted`);
    return entry;
  });
}
