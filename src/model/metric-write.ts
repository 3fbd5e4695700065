// What a hook's metric calls during one event came to (WIT interface metrics,
// since 1.2.0): one entry per series it touched, merged in the hook thread and
// carried to the main thread with the event's outcome.
export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface MetricWrite {
  name: string;
  kind: MetricKind;
  /** The series' labels as [key, value], keys sorted. */
  labels: [string, string][];
  /** counter: the sum of the increments; gauge: the last value set. */
  value?: number;
  /** histogram: its bucket bounds, and this event's observations per bucket (the last is +Inf), sum and count. */
  histogram?: { bounds: number[]; counts: number[]; sum: number; count: number };
}
