// A private, real Bacula 9.6 on loopback for one test file: Director (SQLite
// catalog), storage daemon (a File device) and file daemon, each with its own
// high port, all in one temporary directory, started in the foreground as
// child processes and stopped by pid. Jobs are run and read through bconsole.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/cli/example-hooks.js';
import { Bconsole } from '../../src/bacula/bconsole.js';

export interface LabJob {
  name: string;
  /** Client resource name; its address is the lab's file daemon either way. */
  client?: string;
  /** Whether the job runs the hooks' RunScripts (the examples/bacula snippet). */
  hooked: boolean;
  /** The Job resource's Priority (default 10). */
  priority?: number;
}

export interface JobRow {
  jobId: number;
  name: string;
  status: string;
}

const SBIN = '/usr/sbin';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class BaculaLab {
  private readonly daemons: ChildProcess[] = [];
  private readonly console: Bconsole;

  private constructor(readonly dir: string, readonly ports: { dir: number; fd: number; sd: number }, readonly bridgeConfig: string) {
    // `wait jobid=` lasts as long as the job.
    this.console = new Bconsole({ path: join(SBIN, 'bconsole'), config: this.bconsoleConfig, timeoutMs: 180_000 });
  }

  get bconsoleConfig() {
    return join(this.dir, 'bconsole.conf');
  }

  /**
   * Writes the configuration, creates the catalog and starts the three
   * daemons. `bridgeConfig` is the bridge configuration the hooked jobs'
   * RunScripts name (written by the caller, read by the bridge at each run).
   */
  static async start(jobs: LabJob[]): Promise<BaculaLab> {
    const dir = mkdtempSync(join(tmpdir(), 'bacula-lab-'));
    const ports = { dir: await freePort(), fd: await freePort(), sd: await freePort() };
    const lab = new BaculaLab(dir, ports, join(dir, 'hooks-bridge.yaml'));
    lab.writeConfig(jobs);
    lab.createCatalog();
    lab.checkConfig();
    for (const [daemon, conf] of [['bacula-sd', 'bacula-sd.conf'], ['bacula-fd', 'bacula-fd.conf'], ['bacula-dir', 'bacula-dir.conf']]) {
      const out = openSync(join(dir, `${daemon}.out`), 'w');
      // -f: foreground, so the pid is the daemon's; -c with an absolute path
      // (a relative one is looked up in /etc/bacula).
      const child = spawn(join(SBIN, daemon), ['-f', '-c', join(dir, conf)], { stdio: ['ignore', out, out] });
      lab.daemons.push(child);
    }
    await lab.waitForDirector();
    return lab;
  }

  private writeConfig(jobs: LabJob[]) {
    const d = this.dir;
    for (const sub of ['work', 'storage', 'restore', 'data']) mkdirSync(join(d, sub), { recursive: true });
    writeFileSync(join(d, 'data', 'notes.txt'), 'what a backup of a small tree looks like\n');
    writeFileSync(join(d, 'data', 'numbers.txt'), Array.from({ length: 2000 }, (_, i) => i).join('\n'));

    // The admin's snippet, as shipped, with this checkout and this lab's bridge configuration.
    const snippet = readFileSync(join(REPO_ROOT, 'examples/bacula/bacula-dir-hooks.conf'), 'utf8')
      .replaceAll('/opt/bacula-hooks', REPO_ROOT)
      .replaceAll('/etc/bacula/hooks-bridge.yaml', this.bridgeConfig);
    writeFileSync(join(d, 'hooks-runscripts.conf'), snippet);

    const clients = new Set(['lab-fd', ...jobs.map((j) => j.client ?? 'lab-fd')]);
    writeFileSync(join(d, 'bacula-dir.conf'), `
Director {
  Name = lab-dir
  DIRaddress = 127.0.0.1
  DIRport = ${this.ports.dir}
  QueryFile = "/etc/bacula/scripts/query.sql"
  WorkingDirectory = "${d}/work"
  PidDirectory = "${d}/work"
  Maximum Concurrent Jobs = 10
  Password = "lab-console-password"
  Messages = Daemon
}
Catalog { Name = LabCatalog; dbname = "bacula"; dbuser = ""; dbpassword = "" }
${[...clients].map((c) => `Client { Name = ${c}; Address = 127.0.0.1; FDPort = ${this.ports.fd}; Catalog = LabCatalog; Password = "lab-fd-password"; AutoPrune = no }`).join('\n')}
Storage { Name = LabFile; Address = 127.0.0.1; SDPort = ${this.ports.sd}; Password = "lab-sd-password"; Device = LabDevice; Media Type = File; Maximum Concurrent Jobs = 10 }
Pool { Name = Lab; Pool Type = Backup; Label Format = "Lab-"; Maximum Volume Jobs = 100; Recycle = no; AutoPrune = no }
FileSet { Name = LabData; Include { Options { signature = MD5 }
  File = "${d}/data" } }
Messages { Name = Standard; console = all, !skipped, !saved; append = "${d}/work/messages.log" = all, !skipped; catalog = all }
Messages { Name = Daemon; console = all, !skipped, !saved; append = "${d}/work/messages.log" = all, !skipped }
JobDefs { Name = Plain; Type = Backup; Level = Full; FileSet = LabData; Storage = LabFile; Pool = Lab; Messages = Standard; Priority = 10; Write Bootstrap = "${d}/work/%c.bsr" }
JobDefs {
  Name = Hooked; Type = Backup; Level = Full; FileSet = LabData; Storage = LabFile; Pool = Lab; Messages = Standard; Priority = 10; Write Bootstrap = "${d}/work/%c.bsr"
  @${d}/hooks-runscripts.conf
}
${jobs.map((j) => `Job { Name = "${j.name}"; JobDefs = ${j.hooked ? 'Hooked' : 'Plain'}; Client = ${j.client ?? 'lab-fd'}; Priority = ${j.priority ?? 10} }`).join('\n')}
`);
    writeFileSync(join(d, 'bacula-sd.conf'), `
Storage { Name = lab-sd; SDAddress = 127.0.0.1; SDPort = ${this.ports.sd}; WorkingDirectory = "${d}/work"; Pid Directory = "${d}/work"; Maximum Concurrent Jobs = 20 }
Director { Name = lab-dir; Password = "lab-sd-password" }
Device { Name = LabDevice; Media Type = File; Archive Device = ${d}/storage; LabelMedia = yes; Random Access = yes; AutomaticMount = yes; RemovableMedia = no; AlwaysOpen = no; Maximum Concurrent Jobs = 5 }
Messages { Name = Standard; director = lab-dir = all }
`);
    writeFileSync(join(d, 'bacula-fd.conf'), `
FileDaemon { Name = lab-fd; FDAddress = 127.0.0.1; FDport = ${this.ports.fd}; WorkingDirectory = ${d}/work; Pid Directory = ${d}/work; Maximum Concurrent Jobs = 20 }
Director { Name = lab-dir; Password = "lab-fd-password" }
Messages { Name = Standard; director = lab-dir = all, !skipped, !restored }
`);
    writeFileSync(this.bconsoleConfig, `Director { Name = lab-dir; DIRport = ${this.ports.dir}; address = 127.0.0.1; Password = "lab-console-password" }\n`);
  }

  /** Each daemon's own check of its configuration (the Director's opens the catalog). */
  private checkConfig() {
    const d = this.dir;
    for (const conf of ['bacula-dir.conf', 'bacula-sd.conf', 'bacula-fd.conf']) {
      const daemon = conf.replace('.conf', '');
      try {
        execFileSync(join(SBIN, daemon), ['-t', '-c', join(d, conf)], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      } catch (e) {
        const { stdout = '', stderr = '' } = e as { stdout?: string; stderr?: string };
        throw new Error(`${daemon} refuses the lab's ${conf}: ${stdout}${stderr}`);
      }
    }
  }

  /** Debian's script for the SQLite catalog tables, pointed at this lab's working directory. */
  private createCatalog() {
    const script = readFileSync('/usr/share/bacula-director/make_sqlite3_tables', 'utf8')
      .replace('cd /var/lib/bacula', `cd "${join(this.dir, 'work')}"`)
      .replace('XXX_DBNAME_XXX', 'bacula');
    execFileSync('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  }

  private async waitForDirector() {
    const until = Date.now() + 30_000;
    for (;;) {
      const out = await this.bconsole(['version']).catch((e: Error) => e.message);
      if (/lab-dir Version: 9\.6/.test(out)) return;
      if (Date.now() > until) {
        throw new Error(`the lab Director did not answer within 30 s: ${out}\n${this.daemonOutput()}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  daemonOutput(): string {
    return ['bacula-dir', 'bacula-sd', 'bacula-fd'].map((d) => {
      try {
        return `--- ${d}\n${readFileSync(join(this.dir, `${d}.out`), 'utf8')}`;
      } catch {
        return '';
      }
    }).join('\n');
  }

  /** Runs console commands through the bridge's own console runner; returns what bconsole printed. */
  bconsole(commands: string[]): Promise<string> {
    return this.console.exec(commands);
  }

  /** `run job=NAME yes`: the new JobId. */
  run(job: string): Promise<number> {
    return this.console.run(`run job="${job}" yes`);
  }

  /** Waits for the job to finish and returns its catalog row. */
  async waitFor(jobId: number): Promise<JobRow> {
    await this.bconsole([`wait jobid=${jobId}`]);
    return this.job(jobId);
  }

  async job(jobId: number): Promise<JobRow> {
    const out = await this.bconsole([`list jobid=${jobId}`]);
    const row = out.split('\n').map((l) => l.split('|').map((c) => c.trim())).find((c) => c[1] === String(jobId));
    if (!row) throw new Error(`no catalog row for JobId ${jobId}: ${out}`);
    return { jobId, name: row[2], status: row[8] };
  }

  /** The job's log, from the catalog (`list joblog`): one entry per line, without the "lab-dir JobId N: " prefix. */
  async jobLog(jobId: number): Promise<string[]> {
    const out = await this.bconsole([`list joblog jobid=${jobId}`]);
    return out.split('\n')
      .map((l) => l.replace(/^\|\s?/, '').replace(/\s*\|\s*$/, '').trimEnd())
      .map((l) => /^\S+ JobId \d+: (.*)$/.exec(l)?.[1])
      .filter((l): l is string => l !== undefined);
  }

  async volumes(): Promise<string[]> {
    const out = await this.bconsole(['list volumes pool=Lab']);
    return out.split('\n').map((l) => l.split('|').map((c) => c.trim())).filter((c) => /^\d+$/.test(c[1] ?? '')).map((c) => c[2]);
  }

  /** Stops the daemons by pid (SIGTERM, then SIGKILL after 10 s) and removes the lab. */
  async stop(): Promise<void> {
    await Promise.all(this.daemons.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    })));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
