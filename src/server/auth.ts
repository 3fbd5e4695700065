// Who is calling. One function maps a call's credential to its Caller: a
// bearer token (looked up by its sha256, compared in constant time), a
// verified client certificate (tenant = subject CN, admin when O=admin), or,
// only when configured for local use, no credential at all. The tenant never
// comes from a message field.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ServerCredentials } from '@grpc/grpc-js';
import type { ServerSurfaceCall } from '@grpc/grpc-js/build/src/server-call.js';
import type { AuthOptions } from '../config.js';
import { HookServiceError } from '../errors.js';
import type { Caller } from './caller.js';

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

export function serverCredentials(auth: AuthOptions): ServerCredentials {
  if (!auth.tls) return ServerCredentials.createInsecure();
  const ca = auth.tls.clientCa ? Buffer.from(auth.tls.clientCa) : null;
  return ServerCredentials.createSsl(ca, [{ cert_chain: Buffer.from(auth.tls.cert), private_key: Buffer.from(auth.tls.key) }], ca !== null);
}

export function authenticator(auth: AuthOptions): (call: ServerSurfaceCall) => Caller {
  const tokens = (auth.tokens ?? []).map((t) => ({ ...t, digest: Buffer.from(t.sha256, 'hex') }));
  return (call) => {
    const header = call.metadata.get('authorization')[0];
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(String(header));
      if (!m) throw new HookServiceError('unauthenticated', 'the authorization header must be "Bearer <token>"');
      const digest = createHash('sha256').update(m[1]).digest();
      // Every entry is compared, so the time taken says nothing about which one matched.
      let found: (typeof tokens)[number] | undefined;
      for (const t of tokens) if (timingSafeEqual(t.digest, digest)) found = t;
      if (!found) throw new HookServiceError('unauthenticated', 'the bearer token is not known to this service');
      return { tenant: found.tenant, admin: !!found.admin };
    }
    const cert = call.getAuthContext().sslPeerCertificate;
    if (auth.tls?.clientCa && cert?.subject) {
      const subject = cert.subject as unknown as Record<string, string | string[]>;
      const cn = first(subject.CN);
      if (!cn) throw new HookServiceError('unauthenticated', 'the client certificate has no subject CN to name the tenant');
      return { tenant: cn, admin: first(subject.O) === 'admin' };
    }
    if (auth.unauthenticatedTenant !== undefined) return { tenant: auth.unauthenticatedTenant, admin: false };
    throw new HookServiceError('unauthenticated', 'no credential: present a bearer token (authorization: Bearer <token>) or a client certificate');
  };
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
