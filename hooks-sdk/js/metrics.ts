/**
 * The hook's own metrics (bacula:hooks/metrics, since 1.2.0), on the
 * service's /metrics endpoint as hook_<name>{tenant="…", hook="…", <labels>}.
 * The service adds the tenant and hook labels; a hook writes only its own series.
 *
 *   import { counterAdd, histogramBuckets, histogramObserve } from '../../hooks-sdk/js/metrics.js';
 *   const r = counterAdd('job_bytes_total', { job: job.name(), level: 'full' }, Number(job.jobBytes()));
 *   if (!r.ok) job.writeReport(`metric refused: ${describeError(r.error)}`);
 *
 * Bounded per hook: 20 metric names, 10 labels per metric, 100 series per
 * metric; names and label keys [a-z_][a-z0-9_]* (at most 64 characters, a
 * metric name not ending in _bucket, _sum or _count; the label keys tenant,
 * hook, le, quantile and __* are the service's), label values of at most 128
 * bytes. A refused write records nothing and comes back as a value.
 */
import {
  counterAdd as witCounterAdd, gaugeSet as witGaugeSet, histogramBuckets as witHistogramBuckets,
  histogramObserve as witHistogramObserve, type Label, type MetricError,
} from 'bacula:hooks/metrics@1.2.0';
import { errorPayload, isMetricError } from './index.js';

export type { MetricError };
/** A series' labels, key to value. */
export type Labels = Record<string, string>;
export type MetricResult = { ok: true } | { ok: false; error: MetricError };

const labelList = (labels: Labels): Label[] => Object.entries(labels).map(([key, value]) => ({ key, value }));

function attempt(write: () => void): MetricResult {
  try {
    write();
    return { ok: true };
  } catch (e) {
    const p = errorPayload(e);
    if (isMetricError(p)) return { ok: false, error: p };
    throw e;
  }
}

/** Adds `delta` (finite, >= 0; default 1) to a counter. */
export function counterAdd(name: string, labels: Labels = {}, delta = 1): MetricResult {
  return attempt(() => witCounterAdd(name, labelList(labels), delta));
}

/** Sets a gauge. */
export function gaugeSet(name: string, labels: Labels, value: number): MetricResult {
  return attempt(() => witGaugeSet(name, labelList(labels), value));
}

/** A histogram's bucket upper bounds (increasing, 1 to 30; +Inf implied), before its first observation. Default: 0.005 … 10. */
export function histogramBuckets(name: string, bounds: number[]): MetricResult {
  return attempt(() => witHistogramBuckets(name, new Float64Array(bounds)));
}

/** Observes one value into a histogram. */
export function histogramObserve(name: string, labels: Labels, value: number): MetricResult {
  return attempt(() => witHistogramObserve(name, labelList(labels), value));
}
