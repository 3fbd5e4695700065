// One log line per hook per settled event, from the outcome feed: who, what,
// how long, how it ended, and the hook's report lines in the same line, so a
// job's report is never interleaved with another job's.
import type { OutcomeFeed, SettledEvent } from '../dispatch/outcome-feed.js';
import type { Logger } from './logger.js';
import { eventResult } from './service-metrics.js';

const ms = (x: number) => Math.round(x * 1000) / 1000;

export function logOutcomes(feed: OutcomeFeed, logger: Logger): () => void {
  return feed.watch((e) => logOutcome(logger, e));
}

export function logOutcome(logger: Logger, e: SettledEvent): void {
  const o = e.outcome;
  const base = { tenant: e.tenant, director: e.director, event: o.type, eventId: o.eventId, jobId: o.jobId };
  if (!o.hooks.length) {
    logger.debug({ ...base, durationMs: ms(o.durationMs), outcome: eventResult(o) }, 'event outcome: no hook ran');
    return;
  }
  for (const h of o.hooks) {
    const line = {
      ...base, hook: h.hookName, hookId: h.hookId, durationMs: ms(h.durationMs), outcome: h.status,
      ...(h.message ? { error: h.message } : {}),
      ...(h.status !== 'ok' && h.failClosed ? { failJob: true } : {}),
      ...(h.report.length ? { report: h.report } : {}),
    };
    if (h.status === 'ok') logger.info(line, 'hook outcome');
    else logger.warn(line, 'hook outcome');
  }
}
