// Proto messages <-> the service's model. Decoding validates: a malformed job
// snapshot is refused with the field and what was wrong, never half-read.
import { bacula } from '../gen/hooks-proto.js';
import {
  EVENT_NAMES, JOB_STATUS_NAMES, JOB_TYPE_NAMES, LEVEL_NAMES, VENDOR_NAMES,
  fromProtoNumber, toProtoNumber, type EventName,
} from '../model/enums.js';
import type { DaemonInfo, HookEvent, JobSnapshot, JobWrites, Subscription } from '../model/job.js';
import type { EventOutcome, HookOutcome } from '../model/outcome.js';
import { invalidArgument } from '../errors.js';

import pb = bacula.hooks.v1;

const MAX_U32 = 0xffff_ffff;

function required<T extends string>(table: readonly T[], n: number | null | undefined, field: string, enumName: string): T {
  const v = fromProtoNumber(table, n);
  if (!v) throw invalidArgument(`${field}: ${n ?? 0} is not a ${enumName} (expected 1..${table.length})`);
  return v;
}

function optionalEnum<T extends string>(table: readonly T[], n: number | null | undefined, field: string, enumName: string): T | undefined {
  return n ? required(table, n, field, enumName) : undefined;
}

const num = (v: number | Long | null | undefined): number => (v == null ? 0 : Number(v));
type Long = { toNumber(): number };

export function decodeJob(j: pb.IJob | null | undefined, where: string): JobSnapshot {
  if (!j) throw invalidArgument(`${where}: the event has no job snapshot`);
  const f = (name: string) => `${where}.${name}`;
  const jobId = num(j.jobId);
  if (!(jobId >= 1 && jobId <= MAX_U32)) throw invalidArgument(`${f('job_id')}: must be 1..4294967295, got ${jobId}`);
  const priority = num(j.priority);
  if (!(priority >= 1 && priority <= 100)) throw invalidArgument(`${f('priority')}: must be 1..100, got ${priority}`);
  if (!j.name) throw invalidArgument(`${f('name')}: the Job resource's name is required`);
  if (!j.jobName) throw invalidArgument(`${f('job_name')}: the unique job name is required`);
  const c = j.catalogRes;
  return {
    jobId,
    jobType: required(JOB_TYPE_NAMES, j.type, f('type'), 'JobType'),
    level: required(LEVEL_NAMES, j.level, f('level'), 'Level'),
    status: required(JOB_STATUS_NAMES, j.status, f('status'), 'JobStatus'),
    priority,
    name: j.name,
    jobName: j.jobName,
    client: j.client ?? '',
    pool: j.pool ?? '',
    storage: j.storage ?? '',
    writeStorage: j.writeStorage ?? '',
    readStorage: j.readStorage ?? '',
    catalog: j.catalog ?? '',
    mediaType: j.mediaType ?? '',
    numVols: num(j.numVols),
    catalogRes: c
      ? {
          dbName: c.dbName ?? '', address: c.address ?? '', user: c.user ?? '',
          ...(c.password ? { password: c.password } : {}),
          socket: c.socket ?? '', port: num(c.port),
          vendor: required(VENDOR_NAMES, c.vendor, f('catalog_res.vendor'), 'CatalogVendor'),
        }
      : undefined,
    volumeName: j.volumeName ?? '',
    jobErrors: num(j.jobErrors),
    jobFiles: num(j.jobFiles),
    jobBytes: num(j.jobBytes),
    readBytes: num(j.readBytes),
    sdJobFiles: num(j.sdJobFiles),
    sdErrors: num(j.sdErrors),
    fdJobStatus: optionalEnum(JOB_STATUS_NAMES, j.fdJobStatus, f('fd_job_status'), 'JobStatus'),
    sdJobStatus: optionalEnum(JOB_STATUS_NAMES, j.sdJobStatus, f('sd_job_status'), 'JobStatus'),
    schedTime: num(j.schedTime),
    sinceTime: num(j.sinceTime),
  };
}

export function encodeJob(j: JobSnapshot): pb.IJob {
  return {
    jobId: j.jobId,
    type: toProtoNumber(JOB_TYPE_NAMES, j.jobType),
    level: toProtoNumber(LEVEL_NAMES, j.level),
    status: toProtoNumber(JOB_STATUS_NAMES, j.status),
    priority: j.priority,
    name: j.name, jobName: j.jobName, client: j.client, pool: j.pool, storage: j.storage,
    writeStorage: j.writeStorage, readStorage: j.readStorage, catalog: j.catalog, mediaType: j.mediaType,
    numVols: j.numVols,
    catalogRes: j.catalogRes
      ? { ...j.catalogRes, vendor: toProtoNumber(VENDOR_NAMES, j.catalogRes.vendor) }
      : undefined,
    volumeName: j.volumeName, jobErrors: j.jobErrors, jobFiles: j.jobFiles, jobBytes: j.jobBytes,
    readBytes: j.readBytes, sdJobFiles: j.sdJobFiles, sdErrors: j.sdErrors,
    fdJobStatus: j.fdJobStatus ? toProtoNumber(JOB_STATUS_NAMES, j.fdJobStatus) : 0,
    sdJobStatus: j.sdJobStatus ? toProtoNumber(JOB_STATUS_NAMES, j.sdJobStatus) : 0,
    schedTime: j.schedTime, sinceTime: j.sinceTime,
  };
}

const MAX_EVENT_ID = 128;

export function decodeEvent(e: pb.IEvent | null | undefined): HookEvent {
  if (!e) throw invalidArgument('the request has no event');
  const id = e.id ?? '';
  if (!id) throw invalidArgument('event.id: required (the director\'s id for matching the outcome)');
  if (id.length > MAX_EVENT_ID) throw invalidArgument(`event.id: at most ${MAX_EVENT_ID} characters`);
  const type = required(EVENT_NAMES, e.type, `event ${id}: type`, 'EventType');
  if (type === 'exit') return { id, type };
  return { id, type, job: decodeJob(e.job, `event ${id}: job`) };
}

export function encodeEvent(e: HookEvent): pb.IEvent {
  return { id: e.id, type: toProtoNumber(EVENT_NAMES, e.type), job: e.job ? encodeJob(e.job) : undefined };
}

export const eventTypeNumber = (e: EventName) => toProtoNumber(EVENT_NAMES, e);
export const eventTypeName = (n: number | null | undefined) => fromProtoNumber(EVENT_NAMES, n);

export function decodeDaemon(d: pb.IDaemon | null | undefined, where: string): DaemonInfo {
  if (!d || !d.name) throw invalidArgument(`${where}: daemon.name is required (it keys the director's jobs)`);
  return { name: d.name, version: d.version ?? '', configFile: d.configFile ?? '', workingDir: d.workingDir ?? '' };
}

export const encodeDaemon = (d: DaemonInfo): pb.IDaemon => ({ ...d });

export function encodeWrites(w: JobWrites): pb.IWrites {
  return {
    ...(w.priority !== undefined ? { priority: w.priority } : {}),
    level: w.level ? toProtoNumber(LEVEL_NAMES, w.level) : 0,
    ...(w.volumeName !== undefined ? { volumeName: w.volumeName } : {}),
  };
}

export function decodeWrites(w: pb.IWrites | null | undefined): JobWrites {
  const out: JobWrites = {};
  if (w?.priority != null) out.priority = w.priority;
  const level = fromProtoNumber(LEVEL_NAMES, w?.level);
  if (level) out.level = level;
  if (w?.volumeName != null) out.volumeName = w.volumeName;
  return out;
}

const HOOK_STATUS = ['ok', 'failed', 'timed-out', 'skipped'] as const;

export function encodeOutcome(o: EventOutcome): pb.IEventOutcome {
  return {
    eventId: o.eventId,
    type: eventTypeNumber(o.type),
    jobId: o.jobId,
    hooks: o.hooks.map((h) => ({
      hookId: h.hookId, hookName: h.hookName,
      status: HOOK_STATUS.indexOf(h.status) + 1,
      message: h.message, writes: encodeWrites(h.writes), report: h.report,
      subscription: h.subscription, durationMs: h.durationMs, failClosed: h.failClosed,
    })),
    writes: encodeWrites(o.writes),
    report: o.report,
    failJob: o.failJob,
    durationMs: o.durationMs,
  };
}

export function decodeOutcome(o: pb.IEventOutcome): EventOutcome {
  return {
    eventId: o.eventId ?? '',
    type: eventTypeName(o.type) ?? 'exit',
    jobId: o.jobId ?? 0,
    hooks: (o.hooks ?? []).map((h): HookOutcome => ({
      hookId: h.hookId ?? '', hookName: h.hookName ?? '',
      status: fromProtoNumber(HOOK_STATUS, h.status) ?? 'failed',
      message: h.message ?? '', writes: decodeWrites(h.writes), report: h.report ?? [],
      subscription: h.subscription ? (pb.Subscription.toObject(pb.Subscription.fromObject(h.subscription), { defaults: true }) as Subscription) : undefined,
      durationMs: h.durationMs ?? 0, failClosed: !!h.failClosed,
    })),
    writes: decodeWrites(o.writes),
    report: o.report ?? [],
    failJob: !!o.failJob,
    durationMs: o.durationMs ?? 0,
  };
}
