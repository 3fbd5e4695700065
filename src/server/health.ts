// The standard gRPC health service (grpc.health.v1.Health): "" for the whole
// server and one entry per API service. SERVING while up; NOT_SERVING from the
// moment a drain begins, so load balancers and directors stop sending here
// while the events in flight finish.
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import type { Server } from '@grpc/grpc-js';

/** The names health checks ask about: the whole server, then each service of proto/bacula/hooks/v1/hooks.proto. */
export const HEALTH_SERVICES = ['', 'bacula.hooks.v1.DirectorSession', 'bacula.hooks.v1.Dispatch', 'bacula.hooks.v1.Admin'] as const;

export class ServiceHealth {
  private readonly impl = new HealthImplementation(Object.fromEntries(HEALTH_SERVICES.map((s) => [s, 'SERVING' as ServingStatus])));

  addToServer(server: Server): void {
    this.impl.addToServer(server);
  }

  set(status: ServingStatus): void {
    for (const s of HEALTH_SERVICES) this.impl.setStatus(s, status);
  }
}
