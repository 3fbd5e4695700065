// Host side of `bacula:hooks/metrics` (since 1.2.0): a hook's own counters,
// gauges and histograms. Each call is checked at once against the hook's
// schema (a refusal is the hook's typed metric-error, never a trap) and merged
// into the event's writes, which travel with the event's outcome.
import { active, type InvocationSlot } from './invocation.js';
import type { Label, MetricError, MetricRecorder } from './metrics-schema.js';
import { witErr } from './wit-result.js';

const answer = (refused: MetricError | undefined): void => {
  if (refused) witErr(refused);
};

export function metricsFunctions(slot: InvocationSlot) {
  const recorder = (): MetricRecorder => {
    const r = active(slot).metrics;
    if (!r) throw new Error('this event records no metrics'); // a host bug: the worker gives every event one
    return r;
  };
  return {
    counterAdd: (name: string, labels: Label[], delta: number) => answer(recorder().counterAdd(name, labels, delta)),
    gaugeSet: (name: string, labels: Label[], value: number) => answer(recorder().gaugeSet(name, labels, value)),
    histogramBuckets: (name: string, bounds: Float64Array | number[]) => answer(recorder().histogramBuckets(name, [...bounds])),
    histogramObserve: (name: string, labels: Label[], value: number) => answer(recorder().histogramObserve(name, labels, value)),
  };
}
