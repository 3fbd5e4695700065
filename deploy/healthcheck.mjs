// Container HEALTHCHECK (and any probe): asks hookd's grpc.health.v1 service
// for the whole server ("") and exits 0 when SERVING, 1 otherwise (NOT_SERVING
// while draining, unreachable, or no answer in 2 s). Plain ESM, no tsx, so it
// starts fast.
//   node deploy/healthcheck.mjs [host:port]      (default 127.0.0.1:50051)
// Over TLS: HEALTHCHECK_TLS_CA=ca.pem (and HEALTHCHECK_TLS_CERT/KEY for mutual TLS).
import { readFileSync } from 'node:fs';
import grpc from '@grpc/grpc-js';
import health from 'grpc-health-check';

const address = process.argv[2] ?? '127.0.0.1:50051';
const file = (name) => (process.env[name] ? readFileSync(process.env[name]) : null);
const creds = process.env.HEALTHCHECK_TLS_CA
  ? grpc.credentials.createSsl(file('HEALTHCHECK_TLS_CA'), file('HEALTHCHECK_TLS_KEY'), file('HEALTHCHECK_TLS_CERT'))
  : grpc.credentials.createInsecure();
const Health = grpc.makeClientConstructor(health.service, 'Health');
const client = new Health(address, creds);
client.check({ service: '' }, { deadline: Date.now() + 2_000 }, (err, res) => {
  client.close();
  if (err) {
    process.stderr.write(`hookd at ${address}: ${err.details || err.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`hookd at ${address}: ${res.status}\n`);
  process.exit(res.status === 'SERVING' ? 0 : 1);
});
