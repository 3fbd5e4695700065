// The hooks' own metrics on the main thread: each event's writes applied per
// hook (through the same schema and bounds the hook thread checked), and the
// Prometheus text of all of them, as hook_<name>{tenant="…",hook="…",…}. The
// tenant and hook labels are the host's: a hook can only write its own series.
import { MetricSchema, checkValue, type SchemaSnapshot } from '../capabilities/metrics-schema.js';
import type { MetricKind, MetricWrite } from '../model/metric-write.js';

interface Series {
  labels: [string, string][];
  value: number;
  /** histogram: cumulative-free counts per bucket (+Inf last), sum, count. */
  counts?: number[];
  sum?: number;
  count?: number;
}

interface HookMetrics {
  tenant: string;
  hook: string;
  schema: MetricSchema;
  /** metric name -> series key -> series */
  values: Map<string, Map<string, Series>>;
}

const PREFIX = 'hook_';

export class HookMetricsStore {
  private readonly hooks = new Map<string, HookMetrics>();

  /** @param exists whether a hook id is still registered (a removed hook's metrics go). */
  constructor(private readonly exists: (hookId: string) => boolean) {}

  /** The hook's schema as data, for a fresh hook thread (undefined: it has written no metric). */
  snapshot(hookId: string): SchemaSnapshot | undefined {
    return this.hooks.get(hookId)?.schema.snapshot();
  }

  /** Applies one event's writes of one hook; a write the schema refuses is dropped. Returns how many were refused. */
  apply(tenant: string, hookId: string, hook: string, writes: MetricWrite[]): number {
    let h = this.hooks.get(hookId);
    if (!h) {
      h = { tenant, hook, schema: new MetricSchema(), values: new Map() };
      this.hooks.set(hookId, h);
    }
    h.hook = hook;
    let refused = 0;
    for (const w of writes) {
      if (!this.applyOne(h, w)) refused++;
    }
    return refused;
  }

  private applyOne(h: HookMetrics, w: MetricWrite): boolean {
    if (w.kind === 'histogram' && w.histogram && w.histogram.count === 0 && !w.labels.length && !w.histogram.counts.length) {
      return h.schema.setBuckets(w.name, w.histogram.bounds) === undefined;
    }
    if (w.kind !== 'histogram' && (w.value === undefined || checkValue(w.kind, w.value))) return false;
    const a = h.schema.accept(w.name, w.kind, w.labels.map(([key, value]) => ({ key, value })));
    if (!a.ok) return false;
    let metric = h.values.get(w.name);
    if (!metric) h.values.set(w.name, (metric = new Map()));
    let s = metric.get(a.key);
    if (!s) {
      s = { labels: a.labels, value: 0 };
      if (w.kind === 'histogram') Object.assign(s, { counts: new Array<number>(a.def.bounds!.length + 1).fill(0), sum: 0, count: 0 });
      metric.set(a.key, s);
    }
    if (w.kind === 'counter') s.value += w.value!;
    else if (w.kind === 'gauge') s.value = w.value!;
    else {
      const hw = w.histogram;
      if (!hw || hw.counts.length !== s.counts!.length) return false;
      hw.counts.forEach((c, i) => { s!.counts![i] += c; });
      s.sum! += hw.sum;
      s.count! += hw.count;
    }
    return true;
  }

  /** The Prometheus text format of every hook's metrics, grouped into families by name. */
  exposition(): string {
    const families = new Map<string, { kinds: Set<MetricKind>; lines: string[] }>();
    for (const [id, h] of this.hooks) {
      if (!this.exists(id)) {
        this.hooks.delete(id);
        continue;
      }
      for (const [name, series] of h.values) {
        const kind = h.schema.kindOf(name)!;
        const family = `${PREFIX}${name}`;
        let f = families.get(family);
        if (!f) families.set(family, (f = { kinds: new Set(), lines: [] }));
        f.kinds.add(kind);
        const bounds = h.schema.boundsOf(name) ?? [];
        for (const s of series.values()) {
          const labels: [string, string][] = [['tenant', h.tenant], ['hook', h.hook], ...s.labels];
          if (kind !== 'histogram') {
            f.lines.push(`${family}${labelText(labels)} ${num(s.value)}`);
            continue;
          }
          let cumulative = 0;
          for (const [i, c] of s.counts!.entries()) {
            cumulative += c;
            const le = i < bounds.length ? num(bounds[i]) : '+Inf';
            f.lines.push(`${family}_bucket${labelText([...labels, ['le', le]])} ${cumulative}`);
          }
          f.lines.push(`${family}_sum${labelText(labels)} ${num(s.sum!)}`, `${family}_count${labelText(labels)} ${s.count}`);
        }
      }
    }
    let out = '';
    for (const [family, f] of [...families].sort(([a], [b]) => a.localeCompare(b))) {
      // Two hooks may use one name for different kinds: one TYPE line cannot cover both,
      // so such a family is left untyped (still scraped) rather than one hook's series hidden.
      if (f.kinds.size === 1) {
        const kind = [...f.kinds][0];
        out += `# HELP ${family} A ${kind} of tenant hooks (labels tenant and hook name the writer).\n# TYPE ${family} ${kind}\n`;
      }
      out += `${f.lines.join('\n')}\n`;
    }
    return out;
  }
}

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: [string, string][]) => `{${labels.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
const num = (v: number) => String(v);
