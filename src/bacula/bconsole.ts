// The director calls hooks make (run, cancel, does-volume-exist), answered by
// the real Director through its console: one bconsole process per call, its
// commands on stdin, its answer parsed. Anything a hook passes is checked
// first, so a hook can never send the console more than the one command its
// call stands for.
import { spawn } from 'node:child_process';
import type { DirectorCallHandlers } from '../client/director-client.js';

export interface BconsoleOptions {
  /** The bconsole program. */
  path: string;
  /** The bconsole configuration naming the Director, its address and password. */
  config: string;
  /** How long one console call may take. */
  timeoutMs: number;
}

export const BCONSOLE_DEFAULTS: BconsoleOptions = {
  path: '/usr/sbin/bconsole',
  config: '/etc/bacula/bconsole.conf',
  timeoutMs: 20_000,
};

/** A refusal whose message the hook reads (its director-error is `refused`). */
export class DirectorRefusal extends Error {
  override readonly name = 'DirectorRefusal';
}

/** Bacula's is_name_valid(): letters, digits and `-_.: `, at most 127 characters. */
const BACULA_NAME = /^[A-Za-z0-9_.:\- ]{1,127}$/;
/** A run command's words: keyword=value pairs of Bacula names, times and numbers. */
const RUN_COMMAND = /^run(?: +[A-Za-z]+=(?:"[A-Za-z0-9_.:\- ]*"|[A-Za-z0-9_.:\-]+))+(?: +yes)?$/;

export class Bconsole {
  constructor(private readonly o: BconsoleOptions) {}

  /**
   * Runs console commands in one bconsole session and returns what it printed.
   * Rejects with a DirectorRefusal naming the cause when bconsole cannot be
   * started, cannot reach the Director or does not finish in time.
   */
  exec(commands: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.o.path, ['-n', '-c', this.o.config], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new DirectorRefusal(`bconsole did not finish within ${this.o.timeoutMs} ms (config ${this.o.config})`));
      }, this.o.timeoutMs);
      child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
      child.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new DirectorRefusal(`cannot start bconsole (${this.o.path}): ${e.message}`));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        const configError = /Config error: (.*)/.exec(out);
        if (configError) {
          reject(new DirectorRefusal(`bconsole cannot use its configuration: ${configError[1].trim()}`));
        } else if (/Director authorization problem|Failed to connect to Director|ERR=Connection refused/i.test(out)) {
          reject(new DirectorRefusal(`bconsole could not reach the Director (config ${this.o.config}): ${firstLines(out, 2)}`));
        } else if (code !== 0 && !out) {
          reject(new DirectorRefusal(`bconsole exited with status ${code} and printed nothing (config ${this.o.config})`));
        } else resolve(out);
      });
      child.stdin.end(`${commands.join('\n')}\nquit\n`);
    });
  }

  /** job.run(command): a console `run` command; resolves with the new JobId. */
  async run(command: string): Promise<number> {
    const cmd = command.trim().replace(/\s+/g, ' ');
    if (!RUN_COMMAND.test(cmd)) {
      throw new DirectorRefusal(`not a console run command this director accepts: "${command}" ` +
        '(run followed by keyword=value pairs of Bacula names, e.g. "run job=Nightly level=Full yes")');
    }
    const out = await this.exec([/ yes$/.test(cmd) ? cmd : `${cmd} yes`]);
    const queued = /Job queued\. JobId=(\d+)/.exec(out);
    if (queued) return Number(queued[1]);
    throw new DirectorRefusal(`the Director did not queue "${cmd}": ${answerTo(out, 'run ')}`);
  }

  /** job.cancel(jobid). */
  async cancel(jobId: number): Promise<void> {
    if (!Number.isInteger(jobId) || jobId <= 0) throw new DirectorRefusal(`cancel: JobId ${jobId} is not a JobId`);
    const out = await this.exec([`cancel jobid=${jobId} yes`]);
    if (/JobId=\d+ Job="[^"]*" marked to be canceled|Job "?[^"\n]*"? marked to be canceled|3000 JobId=/i.test(out)) return;
    throw new DirectorRefusal(`the Director did not cancel JobId ${jobId}: ${answerTo(out, 'cancel ')}`);
  }

  /** job.DoesVolumeExist(name): whether the catalog has a volume of that exact name. */
  async doesVolumeExist(name: string): Promise<boolean> {
    if (!BACULA_NAME.test(name)) {
      throw new DirectorRefusal(`"${name}" is not a Bacula volume name (letters, digits and -_.: and space, at most 127)`);
    }
    const out = await this.exec([`list volume="${name}"`]);
    if (/No results to list\./.test(out)) return false;
    const row = out.split('\n').find((l) => l.startsWith('|') && l.split('|').map((c) => c.trim()).includes(name));
    if (row) return true;
    throw new DirectorRefusal(`unexpected answer to "list volume" from the Director: ${answerTo(out, 'list ')}`);
  }

  /**
   * What the RunScript substitutions leave out, read from the Director: the
   * job's scheduled time (its catalog record) and the Job resource's
   * configured priority. Missing facts are left out of the answer.
   */
  async jobFacts(jobId: number, jobName: string): Promise<{ schedTime?: number; priority?: number }> {
    if (!BACULA_NAME.test(jobName)) throw new DirectorRefusal(`"${jobName}" is not a Bacula job name`);
    const out = await this.exec([`llist jobid=${jobId}`, `show job="${jobName}"`]);
    const sched = /^\s*SchedTime: (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\s*$/m.exec(out);
    // Bacula prints the Director's local time.
    const schedMs = sched ? Date.parse(sched[1].replace(' ', 'T')) : NaN;
    const priority = /^Job: name=\S+ .*\bPriority=(\d+)/m.exec(out);
    return {
      ...(Number.isNaN(schedMs) ? {} : { schedTime: Math.floor(schedMs / 1000) }),
      ...(priority ? { priority: Number(priority[1]) } : {}),
    };
  }

  /** The handlers a director session answers hooks' calls with. */
  handlers(): DirectorCallHandlers {
    return {
      run: (command) => this.run(command),
      cancel: (jobId) => this.cancel(jobId),
      doesVolumeExist: (name) => this.doesVolumeExist(name),
    };
  }
}

/** What the console printed after echoing the command: the Director's answer, on one line. */
function answerTo(out: string, command: string): string {
  const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
  const at = lines.findIndex((l) => l.startsWith(command));
  const answer = lines.slice(at + 1).filter((l) => !/^(Using Catalog|Automatically selected Catalog|quit$|You have messages)/.test(l));
  return (answer.slice(0, 3).join(' / ') || 'no answer').slice(0, 500);
}

function firstLines(out: string, n: number): string {
  return out.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, n).join(' / ');
}
