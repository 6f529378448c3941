// SCIM errors (RFC 7644 §3.12; reference §13.6): `{schemas:[Error], status:"<string>", scimType?, detail?}`, with
// the status as a JSON string. Two WorkOS answers are not SCIM bodies (§13.6): the 413 above 2,000 KB and the bare
// 400 for a create with `active:false` when soft-delete is off; `bare` marks those.

import SCIMMY from 'scimmy';
import { SCIM_SCHEMAS, type ScimError } from '../../clients/wire.js';

export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export class ScimFailure extends Error {
  readonly status: number;
  readonly scimType: string | undefined;
  readonly headers: Record<string, string>;
  /** Answer with an empty body instead of a SCIM error (WorkOS's bare 400, §13.4). */
  readonly bare: boolean;
  constructor(
    status: number,
    detail: string,
    opts: { scimType?: ScimType | string; headers?: Record<string, string>; bare?: boolean } = {},
  ) {
    super(detail);
    this.name = 'ScimFailure';
    this.status = status;
    this.scimType = opts.scimType;
    this.headers = opts.headers ?? {};
    this.bare = opts.bare ?? false;
  }
}

export function scimError(status: number, scimType: ScimType | undefined, detail: string): ScimFailure {
  return new ScimFailure(status, detail, scimType === undefined ? {} : { scimType });
}

export function scimNotFound(kind: 'User' | 'Group', id: string): ScimFailure {
  return new ScimFailure(404, `${kind} ${id} not found`);
}

export function scimErrorBody(status: number, detail: string, scimType?: string): ScimError {
  return {
    schemas: [SCIM_SCHEMAS.error],
    status: String(status),
    ...(scimType !== undefined && { scimType }),
    detail,
  };
}

/** SCIMMY signals protocol errors with `SCIMMY.Types.Error` and schema violations with a plain TypeError. */
export function fromScimmy(e: unknown, typeErrorScimType: ScimType = 'invalidValue'): ScimFailure | undefined {
  if (e instanceof SCIMMY.Types.Error) return new ScimFailure(e.status, e.message, { scimType: e.scimType });
  if (e instanceof TypeError) return new ScimFailure(400, e.message, { scimType: typeErrorScimType });
  return undefined;
}
