// The declared item guards (clients/admin-parse.ts `fields<T>`): each field is checked for its type, in order, and a
// body that breaks a rule is a MalformedResponseError naming the field (the pipeline retries those like any other
// transient failure). Keys are the wire type's own: a misspelt one fails the typecheck (see the @ts-expect-error).

import { describe, expect, it } from 'vitest';
import { fields } from '../../src/clients/admin-parse.js';
import { MalformedResponseError, type RequestInfo } from '../../src/errors.js';

type Item = { id: string; note: string | null; limit: number; cap: number | null; on: boolean; off?: boolean | null };
const req = { method: 'GET', path: '/v1/organizations/things' } as RequestInfo;
const guard = fields<Item>({ id: 'string', note: 'string?', limit: 'number', cap: 'number?', on: 'boolean', off: 'boolean?' });
const good: Item = { id: 't1', note: null, limit: 200, cap: null, on: true };

function refusal(body: unknown): string {
  try {
    guard(body, req);
  } catch (e) {
    expect(e).toBeInstanceOf(MalformedResponseError);
    return (e as Error).message;
  }
  return 'accepted';
}

describe('fields<T>', () => {
  it('passes an item whose fields have their types (nullable ones absent or null), as it came', () => {
    expect(guard(good, req)).toBe(good);
    expect(guard({ ...good, note: 'x', cap: 5, off: false }, req)).toMatchObject({ note: 'x', cap: 5, off: false });
  });

  it.each([
    ['a string that is a number', { ...good, id: 7 }, '`id` is not a string'],
    ['a string that is missing', { ...good, id: undefined }, '`id` is not a string'],
    ['a nullable string that is a number', { ...good, note: 3 }, '`note` is neither a string nor null'],
    ['a number that is a string', { ...good, limit: '200' }, '`limit` is not a number'],
    ['a number that is not finite', { ...good, limit: Number.NaN }, '`limit` is not a number'],
    ['a nullable number that is a boolean', { ...good, cap: true }, '`cap` is not a number nor null'],
    ['a boolean that is a string', { ...good, on: 'true' }, '`on` is not a boolean'],
    ['a nullable boolean that is 0', { ...good, off: 0 }, '`off` is not a boolean nor null'],
    ['not an object', [good], 'the body is not an object'],
  ])('refuses %s', (_what, body, message) => {
    expect(refusal(body)).toContain(message);
  });

  it('checks the fields in the order given: the first broken one is named', () => {
    expect(refusal({ ...good, id: 1, limit: 'x' })).toContain('`id`');
  });

  it('names only fields of the wire type', () => {
    // @ts-expect-error `limt` is not a field of Item
    expect(() => fields<Item>({ limt: 'number' })).not.toThrow();
  });
});
