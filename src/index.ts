// The public API of the package, by name.
export { startHookService, type RunningService } from './server/hook-service.js';
export { resolveConfig, DEFAULTS, type ServiceOptions, type ServiceConfig } from './config.js';
export { DirectorSessionClient, type DirectorCallHandlers, type CallContext, type SessionOptions } from './client/director-client.js';
export { DispatchClient } from './client/dispatch-client.js';
export { AdminClient, type HookInfo, type RegisterOptions } from './client/admin-client.js';
export { HookClientError } from './client/client-error.js';
export { makeJob, type JobSnapshot, type DaemonInfo, type HookEvent, type JobWrites, type Subscription, type CatalogRes } from './model/job.js';
export type { EventOutcome, HookOutcome, HookStatus } from './model/outcome.js';
export * from './model/enums.js';
export { HookServiceError, type ErrorCode } from './errors.js';
export type { HookRegistry } from './registry/registry.js';
export type { HookRecord, FailurePolicy } from './registry/hook-record.js';
