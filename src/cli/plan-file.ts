// Saved plans: `plan --out FILE` writes the plan value; `apply FILE` reads it back, checks it against
// schemas/plan.schema.json (a hand-edited or truncated plan is refused, never half-applied), and applies exactly it.

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, lstatSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { OutputError, UsageError } from '../errors.js';
import { redact } from '../secrets.js';
import { safeJson, visible } from '../render/visible.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../model/plan.js';
import { planSetHash, type PlanSet } from '../model/plan-set.js';
import { planHash } from '../model/plan-hash.js';
import { blockedReason, guardBlocks, isMassRemoval, isRemoval, peopleLeaving } from '../model/removals.js';

const PLAN_SCHEMA_URL = new URL('../../schemas/plan.schema.json', import.meta.url);

type Validator = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };
let validator: Validator | undefined;

function validate(): Validator {
  if (!validator) {
    const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
    const ajv = new (Ajv2020 as unknown as new (o: object) => { compile(s: unknown): Validator })({ allErrors: true, strict: false });
    validator = ajv.compile(JSON.parse(readFileSync(PLAN_SCHEMA_URL, 'utf8')));
  }
  return validator;
}

/**
 * Writes atomically (temp file, then rename): an interrupted write never leaves half a plan behind. The text is
 * scrubbed of secrets like everything the CLI prints (a plan holds no secret, but a value read from a lying server
 * might); a plan that had something scrubbed no longer matches its plan_hash and `apply` refuses it, which is the
 * right outcome for a plan that carried a credential. Characters that terminals or editors hide are escaped
 * (`\u202e`); the parsed value is the same.
 */
export function writePlanFile(path: string, value: Plan | PlanSet): void {
  writeOutputFile(path, `${safeJson(value)}\n`, { replace: true });
}

/** Gives the temp file the target's name unless that name exists (EEXIST is thrown); false where links are not
 * supported (then the caller renames). The temp file is removed by the caller either way. */
function linked(tmp: string, path: string): boolean {
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if (['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(codeOf(err))) return false;
    throw err;
  }
}

function kindOf(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
}

/**
 * Refuses an output target that is not a regular file, before anything is read or written: a directory, a device
 * (`/dev/full`, `/dev/null`), a FIFO (opening it would wait for a reader) or a socket. A symbolic link is refused
 * too: the rename would replace the link, not the file it points to, and in a shared folder a link may point
 * anywhere; give the real path. With `replace: false` an existing regular file is refused as well.
 */
export function checkOutputTarget(path: string, opts: { replace: boolean }): void {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (err) {
    if (codeOf(err) === 'ENOENT') return;
    throw new OutputError(`cannot write ${visible(path)}: ${codeOf(err)}`);
  }
  const kind = kindOf(st);
  if (kind !== undefined) throw new OutputError(`cannot write ${visible(path)}: it is ${kind}, not a regular file; nothing was written`);
  if (!opts.replace) throw new OutputError(`${visible(path)} exists; refusing to overwrite it (use --force to replace it)`);
}

/**
 * Writes an output file of the CLI: only a regular file, scrubbed of secrets, whole or not at all. The text goes to
 * a temp file next to the target (exclusive create, a random name: never an existing file or link), is synced,
 * and renamed over the target; with `replace: false` it is linked to the target's name instead, which fails if a
 * file appeared there since the check. Any failure (ENOSPC, EACCES, EISDIR, …) removes the temp file and is one
 * OutputError: `cannot write PATH: CODE`.
 */
export function writeOutputFile(path: string, text: string, opts: { replace: boolean; mode?: number }): void {
  checkOutputTarget(path, opts);
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  let fd: number | undefined;
  let created = false;
  try {
    fd = openSync(tmp, 'wx', opts.mode ?? 0o644);
    created = true;
    const data = Buffer.from(redact(text), 'utf8');
    for (let off = 0; off < data.length;) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    // between the check and now a directory or device may have taken the name: rename refuses a directory, and a
    // device or FIFO is replaced by the file, never written into
    checkOutputTarget(path, opts);
    if (opts.replace || !linked(tmp, path)) {
      renameSync(tmp, path);
      created = false;
    }
  } catch (err) {
    if (err instanceof OutputError) throw err;
    if (codeOf(err) === 'EEXIST' && !opts.replace) {
      throw new OutputError(`${visible(path)} exists; refusing to overwrite it (use --force to replace it)`);
    }
    throw new OutputError(`cannot write ${visible(path)}: ${codeOf(err)}`);
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing; the error above is the one to report
      }
    }
    if (created) {
      try {
        unlinkSync(tmp);
      } catch {
        // gone already
      }
    }
  }
}

/** Reads a saved plan, or a plan set (several organizations); either way a list of plans, each checked. */
export function readPlanFile(path: string): Plan[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the plan file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not a plan: not valid JSON (write one with \`claude-reconcile plan --out ${path}\`)`);
  }
  const set = value as Partial<PlanSet> | null;
  if (set && typeof set === 'object' && Array.isArray(set.plans)) {
    const plans = set.plans.map((p, i) => checkPlan(p, `${path} plans[${i}]`));
    if (set.plan_hash !== planSetHash(plans)) throw new UsageError(`${path}: plan_hash does not match its plans; the file was changed after it was written`);
    return plans;
  }
  return [checkPlan(value, path)];
}

function checkPlan(value: unknown, path: string): Plan {
  const v = validate();
  if (!v(value)) {
    const problems = (v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
    const version = (value as { format_version?: unknown })?.format_version;
    if (version !== undefined && version !== PLAN_FORMAT_VERSION) {
      // quoted only when it looks like a version: a JSON file that is not a plan is not echoed
      const shown = /^[0-9]{1,3}$/.test(String(version)) ? JSON.stringify(version) : 'that is not a version of it';
      throw new UsageError(`${path} has plan format_version ${shown}; this version reads ${PLAN_FORMAT_VERSION}`);
    }
    throw new UsageError(`${path} is not a valid plan (schemas/plan.schema.json): ${problems}`);
  }
  const plan = value as Plan;
  // The hash is recomputed from what apply reads: a plan edited by hand after review is refused, not applied.
  if (planHash(plan) !== plan.plan_hash) {
    throw new UsageError(`${path}: plan_hash does not match its contents; the plan was changed after it was written`);
  }
  recountGuard(plan);
  return plan;
}

/**
 * The removal guard is recomputed from the changes, never read from a field (issue 12): `count`, `addresses`,
 * each change's `removal` and `blocked` are overwritten with what the changes themselves say. The limits and the
 * mass-removal outcome are covered by the hash; the mass rule is also re-applied to the recounted people, so
 * a plan whose recorded outcome and changes disagree is blocked.
 */
function recountGuard(plan: Plan): void {
  const leaving = peopleLeaving(plan.changes);
  for (const c of plan.changes) c.removal = isRemoval(c, leaving);
  const g = plan.removals;
  g.addresses = plan.changes.filter((c) => c.removal).map((c) => c.address);
  g.count = g.addresses.length;
  g.people = { ...g.people, leaving: leaving.size };
  g.mass = g.mass || isMassRemoval(leaving.size, g.people, g.max_share);
  plan.blocked = guardBlocks(g);
  const reason = blockedReason(g);
  if (reason === undefined) delete plan.blocked_reason;
  else plan.blocked_reason = reason;
}
