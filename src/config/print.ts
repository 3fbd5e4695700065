// hookd --print-config: the configuration the service would run with, every
// default filled in, as YAML. Secrets never appear: a token's hash shows as
// ***, TLS material as the path it is read from.
import { stringify } from 'yaml';
import type { ServiceConfig } from '../config.js';
import type { LoadedConfig } from './load.js';

export const MASK = '***';

export function effectiveConfigYaml(loaded: LoadedConfig, config: ServiceConfig): string {
  const auth = loaded.layer.auth ?? {};
  const effective = {
    listen: config.listen,
    dataDir: config.dataDir,
    transpileCacheDir: config.transpileCacheDir,
    workersPerTenant: config.workersPerTenant,
    idleWorkerMs: config.idleWorkerMs,
    maxComponentBytes: config.maxComponentBytes,
    directorCallTimeoutMs: config.directorCallTimeoutMs,
    suspendAfterFailures: config.suspendAfterFailures,
    suspendBackoffMs: config.suspendBackoffMs,
    auth: {
      ...(auth.tokens ? { tokens: auth.tokens.map((t) => ({ tenant: t.tenant, ...(t.admin ? { admin: true } : {}), sha256: MASK })) } : {}),
      ...(auth.tokensFile ? { tokensFile: auth.tokensFile } : {}),
      ...(auth.tls ? { tls: auth.tls } : {}),
      ...(config.auth.unauthenticatedTenant !== undefined ? { unauthenticatedTenant: config.auth.unauthenticatedTenant } : {}),
    },
    limits: config.limits,
    metrics: config.metrics,
    log: { level: config.log.level, format: config.log.format },
    shutdown: config.shutdown,
    grpc: config.grpc,
  };
  const from = loaded.file ? `# from ${loaded.file}, the HOOKD_* environment and the flags, with defaults filled in\n` : '# no config file: the HOOKD_* environment and the flags, with defaults filled in\n';
  return from + stringify(effective);
}
