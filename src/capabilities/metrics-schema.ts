// The bounds and rules of a hook's own metrics (WIT interface metrics, since
// 1.2.0), in one place for both sides: the hook thread checks each call and
// answers a refusal the hook sees; the main thread applies the event's writes
// through the same schema, so what it holds never exceeds the bounds either.
import type { MetricKind, MetricWrite } from '../model/metric-write.js';

export const METRIC_BOUNDS = {
  /** Metric names per hook. */
  names: 20,
  /** Label keys per metric. */
  labelKeys: 10,
  /** Series (label value combinations) per metric per hook. */
  seriesPerMetric: 100,
  nameLength: 64,
  labelValueBytes: 128,
  buckets: 30,
} as const;

/** Prometheus' default buckets, for a histogram whose hook did not set its own. */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const NAME = /^[a-z_][a-z0-9_]*$/;
/** Suffixes of a histogram's own series: a name ending so could collide with one. */
const RESERVED_SUFFIX = /_(bucket|sum|count)$/;
/** Labels the host sets (tenant, hook) or the exposition uses (le); __* is Prometheus' own. */
const RESERVED_LABELS = new Set(['tenant', 'hook', 'le', 'quantile']);

/** WIT variant metric-error. */
export type MetricError =
  | { tag: 'invalid-name'; val: string }
  | { tag: 'invalid-value'; val: string }
  | { tag: 'conflict'; val: string }
  | { tag: 'limit-reached'; val: string };

export interface Label {
  key: string;
  value: string;
}

interface MetricDef {
  kind: MetricKind;
  /** Fixed by the first write; undefined while only the buckets are set. */
  labelKeys?: string[];
  bounds?: number[];
  series: Set<string>;
}

/** A schema as plain data, to hand to a fresh hook thread. */
export type SchemaSnapshot = Record<string, { kind: MetricKind; labelKeys?: string[]; bounds?: number[]; series: string[] }>;

export type Accepted = { ok: true; key: string; labels: [string, string][]; def: MetricDef } | { ok: false; error: MetricError };

function checkName(name: string, what: string): MetricError | undefined {
  if (!NAME.test(name) || name.length > METRIC_BOUNDS.nameLength) {
    return { tag: 'invalid-name', val: `${what} ${JSON.stringify(name.slice(0, 80))} must match [a-z_][a-z0-9_]* and be at most ${METRIC_BOUNDS.nameLength} characters` };
  }
  return undefined;
}

export function checkBounds(bounds: number[]): MetricError | undefined {
  if (!bounds.length || bounds.length > METRIC_BOUNDS.buckets) {
    return { tag: 'invalid-value', val: `a histogram has 1 to ${METRIC_BOUNDS.buckets} bucket bounds, got ${bounds.length}` };
  }
  for (let i = 0; i < bounds.length; i++) {
    if (!Number.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
      return { tag: 'invalid-value', val: `bucket bounds must be finite and increasing, got [${bounds.join(', ')}]` };
    }
  }
  return undefined;
}

const sameBounds = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** One hook's metrics: their kinds, label keys, buckets and series, within the bounds. */
export class MetricSchema {
  private readonly defs = new Map<string, MetricDef>();

  static from(snapshot: SchemaSnapshot | undefined): MetricSchema {
    const s = new MetricSchema();
    for (const [name, d] of Object.entries(snapshot ?? {})) {
      s.defs.set(name, { kind: d.kind, labelKeys: d.labelKeys, bounds: d.bounds, series: new Set(d.series) });
    }
    return s;
  }

  snapshot(): SchemaSnapshot {
    return Object.fromEntries([...this.defs].map(([n, d]) => [n, { kind: d.kind, labelKeys: d.labelKeys, bounds: d.bounds, series: [...d.series] }]));
  }

  kindOf(name: string): MetricKind | undefined {
    return this.defs.get(name)?.kind;
  }

  /** A histogram's bucket bounds (undefined for other kinds). */
  boundsOf(name: string): readonly number[] | undefined {
    return this.defs.get(name)?.bounds;
  }

  /** The metric `name` of `kind`, if it may be (created when `create`, within the bound on names). */
  private def(name: string, kind: MetricKind, create = true): MetricDef | MetricError | undefined {
    const bad = checkName(name, 'metric name');
    if (bad) return bad;
    if (RESERVED_SUFFIX.test(name)) {
      return { tag: 'invalid-name', val: `metric name "${name}" ends in _bucket, _sum or _count, which a histogram's series use` };
    }
    let d = this.defs.get(name);
    if (d && d.kind !== kind) return { tag: 'conflict', val: `"${name}" is a ${d.kind} of this hook, not a ${kind}` };
    if (!d && create) {
      if (this.defs.size >= METRIC_BOUNDS.names) {
        return { tag: 'limit-reached', val: `this hook already has ${METRIC_BOUNDS.names} metrics, the limit; "${name}" is not one of them` };
      }
      d = { kind, series: new Set() };
      this.defs.set(name, d);
    }
    return d;
  }

  /** Sets a histogram's buckets (before its first observation, or the same ones again). */
  setBuckets(name: string, bounds: number[]): MetricError | undefined {
    const bad = checkBounds(bounds);
    if (bad) return bad;
    const existed = this.defs.has(name);
    const d = this.def(name, 'histogram')!;
    if ('tag' in d) return d;
    if (d.bounds && !sameBounds(d.bounds, bounds)) {
      return { tag: 'conflict', val: `histogram "${name}" already has the buckets [${d.bounds.join(', ')}]` };
    }
    if (!d.bounds && existed && d.series.size) {
      return { tag: 'conflict', val: `histogram "${name}" already has observations with the default buckets` };
    }
    d.bounds = [...bounds];
    return undefined;
  }

  /** Checks one write of `kind` to `name` with `labels`; on success the series is counted and keyed. */
  accept(name: string, kind: MetricKind, labels: Label[]): Accepted {
    // Checked in full before anything is defined: a refused write leaves no trace.
    const known = this.def(name, kind, false);
    if (known && 'tag' in known) return { ok: false, error: known };
    const sorted = [...labels].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (sorted.length > METRIC_BOUNDS.labelKeys) {
      return { ok: false, error: { tag: 'limit-reached', val: `${sorted.length} labels; a metric has at most ${METRIC_BOUNDS.labelKeys}` } };
    }
    for (const [i, l] of sorted.entries()) {
      const bad = checkName(l.key, 'label key');
      if (bad) return { ok: false, error: bad };
      if (RESERVED_LABELS.has(l.key) || l.key.startsWith('__')) {
        return { ok: false, error: { tag: 'invalid-name', val: `label "${l.key}" is reserved (the service sets tenant and hook itself)` } };
      }
      if (i > 0 && sorted[i - 1].key === l.key) return { ok: false, error: { tag: 'invalid-name', val: `label "${l.key}" given twice` } };
      if (Buffer.byteLength(l.value) > METRIC_BOUNDS.labelValueBytes) {
        return { ok: false, error: { tag: 'invalid-value', val: `label "${l.key}" has a value over ${METRIC_BOUNDS.labelValueBytes} bytes` } };
      }
    }
    const keys = sorted.map((l) => l.key);
    if (known?.labelKeys && (known.labelKeys.length !== keys.length || known.labelKeys.some((k, i) => k !== keys[i]))) {
      return { ok: false, error: { tag: 'conflict', val: `"${name}" has the labels (${known.labelKeys.join(', ')}), not (${keys.join(', ')})` } };
    }
    const key = JSON.stringify(sorted.map((l) => l.value));
    if (known && !known.series.has(key) && known.series.size >= METRIC_BOUNDS.seriesPerMetric) {
      return { ok: false, error: { tag: 'limit-reached', val: `"${name}" already has ${METRIC_BOUNDS.seriesPerMetric} series, the limit per metric` } };
    }
    const d = known ?? this.def(name, kind)!;
    if ('tag' in d) return { ok: false, error: d };
    d.labelKeys ??= keys;
    d.series.add(key);
    if (kind === 'histogram') d.bounds ??= DEFAULT_BUCKETS;
    return { ok: true, key, labels: sorted.map((l) => [l.key, l.value]), def: d };
  }
}

export function checkValue(kind: MetricKind, v: number): MetricError | undefined {
  if (!Number.isFinite(v)) return { tag: 'invalid-value', val: `${v} is not a finite number` };
  if (kind === 'counter' && v < 0) return { tag: 'invalid-value', val: `a counter only goes up: cannot add ${v}` };
  return undefined;
}

/**
 * A hook's metric calls during one event, checked against its schema and
 * merged per series: counters summed, gauges' last value, histograms' bucket
 * counts. A histogram's buckets set without observations travel too.
 */
export class MetricRecorder {
  private readonly writes = new Map<string, MetricWrite>();

  constructor(readonly schema: MetricSchema) {}

  counterAdd(name: string, labels: Label[], delta: number): MetricError | undefined {
    return this.record(name, 'counter', labels, delta);
  }

  gaugeSet(name: string, labels: Label[], value: number): MetricError | undefined {
    return this.record(name, 'gauge', labels, value);
  }

  histogramObserve(name: string, labels: Label[], value: number): MetricError | undefined {
    return this.record(name, 'histogram', labels, value);
  }

  histogramBuckets(name: string, bounds: number[]): MetricError | undefined {
    const refused = this.schema.setBuckets(name, bounds);
    if (!refused) {
      this.writes.set(`${name}\u0000buckets`, {
        name, kind: 'histogram', labels: [], histogram: { bounds: [...bounds], counts: [], sum: 0, count: 0 },
      });
    }
    return refused;
  }

  private record(name: string, kind: MetricKind, labels: Label[], v: number): MetricError | undefined {
    const bad = checkValue(kind, v);
    if (bad) return bad;
    const a = this.schema.accept(name, kind, labels);
    if (!a.ok) return a.error;
    const id = `${name}\u0000${a.key}`;
    let w = this.writes.get(id);
    if (!w) {
      w = { name, kind, labels: a.labels };
      if (kind === 'histogram') {
        const bounds = a.def.bounds!;
        w.histogram = { bounds, counts: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 };
      }
      this.writes.set(id, w);
    }
    if (kind === 'counter') w.value = (w.value ?? 0) + v;
    else if (kind === 'gauge') w.value = v;
    else {
      const h = w.histogram!;
      const i = h.bounds.findIndex((b) => v <= b);
      h.counts[i === -1 ? h.bounds.length : i]++;
      h.sum += v;
      h.count++;
    }
    return undefined;
  }

  /** The event's writes (and forgets them). */
  take(): MetricWrite[] {
    const out = [...this.writes.values()];
    this.writes.clear();
    return out;
  }
}
