// Test certificates made with the openssl CLI in a temporary directory: a CA,
// a server certificate for 127.0.0.1/localhost, and client certificates
// (CN = tenant, O=admin for admins) — the same commands the README gives.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  cert: string;
  key: string;
}

export interface TestCa extends KeyPair {
  /** A leaf certificate signed by this CA. */
  issue(subject: string, usage: 'server' | 'client'): KeyPair;
}

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });

export class CertDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'hooks-certs-'));
  private n = 0;

  /** A new self-signed CA (EC P-256, valid two days). */
  ca(name: string): TestCa {
    const base = `${name}-${this.n++}`;
    openssl(this.dir, [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
      '-subj', `/CN=${name}`, '-keyout', `${base}.key`, '-out', `${base}.pem`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    const ca = this.read(base);
    return { ...ca, issue: (subject, usage) => this.issue(base, subject, usage) };
  }

  private issue(caBase: string, subject: string, usage: 'server' | 'client'): KeyPair {
    const base = `leaf-${this.n++}`;
    openssl(this.dir, ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', subject, '-keyout', `${base}.key`, '-out', `${base}.csr`]);
    writeFileSync(join(this.dir, `${base}.ext`), usage === 'server'
      ? 'extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n'
      : 'extendedKeyUsage=clientAuth\n');
    openssl(this.dir, [
      'x509', '-req', '-in', `${base}.csr`, '-CA', `${caBase}.pem`, '-CAkey', `${caBase}.key`,
      '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '2', '-extfile', `${base}.ext`, '-out', `${base}.pem`,
    ]);
    return this.read(base);
  }

  private read(base: string): KeyPair {
    return { cert: readFileSync(join(this.dir, `${base}.pem`), 'utf8'), key: readFileSync(join(this.dir, `${base}.key`), 'utf8') };
  }

  cleanup() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
