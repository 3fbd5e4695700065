// gRPC server reflection (grpc.reflection.v1 and v1alpha), so generic tools
// (grpcurl, grpcui, Postman) can list the services and call them without a
// copy of the proto: the hook API and the health service are described.
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import type { Server } from '@grpc/grpc-js';

const PROTO_DIR = fileURLToPath(new URL('../../proto', import.meta.url));
// grpc-health-check ships health/v1/health.proto under its own proto directory.
const HEALTH_PROTO_DIR = dirname(dirname(dirname(healthProtoPath)));

export function addReflection(server: Server): void {
  const pkg = loadSync(['bacula/hooks/v1/hooks.proto', 'health/v1/health.proto'], { includeDirs: [PROTO_DIR, HEALTH_PROTO_DIR] });
  new ReflectionService(pkg).addToServer(server);
}
