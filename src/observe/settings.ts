// The observability settings of the service config: metrics.listen, log.level
// and log.format. Read defensively: the keys are optional in the config, and
// `log` may still be the legacy `(line) => void` sink.
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './logger.js';

export interface ObserveSettings {
  /** host:port of the Prometheus endpoint; "" serves none. */
  metricsListen: string;
  logLevel: LogLevel;
  logFormat: LogFormat;
  /** Where the log's lines go, when the config names a sink (`log` callable, or log.sink). */
  logSink?: (line: string) => void;
}

export function observeSettings(config: unknown): ObserveSettings {
  const c = (config ?? {}) as { metrics?: { listen?: unknown }; log?: unknown };
  const listen = c.metrics?.listen;
  const log = c.log;
  // `log` is the service's ServiceLog (a line sink carrying level and format), or options of that shape.
  const object = log && (typeof log === 'object' || typeof log === 'function') ? (log as { level?: unknown; format?: unknown; sink?: unknown }) : undefined;
  const level = object?.level;
  const format = object?.format;
  const sink = typeof log === 'function' ? log : typeof object?.sink === 'function' ? object.sink : undefined;
  return {
    metricsListen: typeof listen === 'string' ? listen : '',
    logLevel: LOG_LEVELS.includes(level as LogLevel) ? (level as LogLevel) : 'info',
    logFormat: LOG_FORMATS.includes(format as LogFormat) ? (format as LogFormat) : 'json',
    logSink: sink as ((line: string) => void) | undefined,
  };
}
