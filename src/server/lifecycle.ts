// hookd's process signals. SIGTERM and SIGINT drain and stop the service (a
// second one stops at once); SIGHUP reloads the configuration and every
// tenant's hooks without dropping a director session. A reload whose
// configuration is wrong changes nothing and says why: the service goes on
// with the configuration it has.
import type { ServiceOptions } from '../config.js';
import type { RunningService } from './hook-service.js';

export interface LifecycleOptions {
  /** Reads the configuration again (file and environment; the flags as given at start). Throws when it is wrong. */
  reloadOptions: () => ServiceOptions;
  log: (line: string) => void;
  exit: (code: number) => void;
}

export function handleSignals(svc: RunningService, o: LifecycleOptions): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      o.log(`${signal} again: stopping now, without waiting for the drain`);
      return o.exit(1);
    }
    stopping = true;
    o.log(`${signal}: draining: health NOT_SERVING, new sessions and events refused UNAVAILABLE, ` +
      `${svc.drain.inFlight} in flight get up to ${svc.config.shutdown.drainTimeoutMs} ms`);
    svc.shutdown().then((r) => {
      o.log(`drained in ${Math.round(r.ms)} ms: ${r.finished} finished, ${r.answeredUnavailable} answered UNAVAILABLE; stopped`);
      o.exit(0);
    }, (e) => {
      o.log(`shutdown failed: ${(e as Error).message}`);
      o.exit(1);
    });
  };
  const reload = () => {
    if (stopping) return;
    let options: ServiceOptions;
    try {
      options = o.reloadOptions();
    } catch (e) {
      return o.log(`SIGHUP: configuration not reloaded, still running with the previous one: ${(e as Error).message}`);
    }
    svc.reload(options).then((r) => {
      o.log(`SIGHUP: reloaded; applied: ${r.applied.join(', ') || 'nothing changed'}; ` +
        `${r.needRestart.length ? `changed but needing a restart (old values kept): ${r.needRestart.join(', ')}; ` : ''}${r.hooksReloaded} hook(s) reloaded`);
    }, (e) => o.log(`SIGHUP: reload failed, still running with the previous configuration: ${(e as Error).message}`));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', reload);
}
