// The service's structured logger (pino): one JSON object per line, or the
// same records as readable text ("pretty"). Where lines go is a sink
// function, so the service, hookd and the tests all get whole lines.
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Receives each line, without its newline. Default: standard error. */
  sink?: (line: string) => void;
}

const stderrSink = (line: string) => void process.stderr.write(`${line}\n`);

export function createLogger(o: LoggerOptions = {}): Logger {
  const level = o.level ?? 'info';
  if (!LOG_LEVELS.includes(level)) throw new Error(`log level must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  const format = o.format ?? 'json';
  if (!LOG_FORMATS.includes(format)) throw new Error(`log format must be json or pretty, got "${format}"`);
  const sink = o.sink ?? stderrSink;
  const write = format === 'json'
    ? (s: string) => sink(s.replace(/\n$/, ''))
    : (s: string) => sink(prettyLine(JSON.parse(s) as LogRecord));
  return pino({
    level: level as LevelWithSilent,
    base: undefined, // no pid/hostname on every line: one service, one process
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  }, { write });
}

interface LogRecord {
  level?: string;
  time?: string;
  msg?: string;
  [field: string]: unknown;
}

/** "msg key=value ...": the message first, so a line still reads as it always did. */
export function textLine(r: LogRecord): string {
  const { level: _l, time: _t, msg = '', ...fields } = r;
  const rest = Object.entries(fields).filter(([k]) => k !== 'report').map(([k, v]) => `${k}=${fieldText(v)}`);
  const report = Array.isArray(r.report) ? (r.report as unknown[]).map((l) => `\n  | ${String(l)}`).join('') : '';
  return [msg, ...rest].filter(Boolean).join(' ') + report;
}

/** "2026-11-26T10:00:00.000Z INFO  msg key=value ...", with the report lines indented below. */
export function prettyLine(r: LogRecord): string {
  return `${r.time ?? ''} ${(r.level ?? '').toUpperCase().padEnd(5)} ${textLine(r)}`;
}

function fieldText(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}
