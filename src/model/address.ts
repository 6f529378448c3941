// Addresses name one resource instance in a plan: `kind["key"]`, the key JSON-quoted so any name is safe.

import { domainToASCII } from 'node:url';
import { RESOURCE_KINDS, type ResourceKind } from './kinds.js';

/** `member["alice@acme.com"]`, `workspace_member["Research/alice@acme.com"]`. */
export function address(kind: ResourceKind, key: string): string {
  return `${kind}[${JSON.stringify(key)}]`;
}

/** Inverse of `address`; undefined when the text is not an address. */
export function parseAddress(text: string): { kind: ResourceKind; key: string } | undefined {
  const m = /^([a-z_]+)\[(".*")\]$/.exec(text);
  if (!m) return undefined;
  const kind = m[1] as ResourceKind;
  if (!RESOURCE_KINDS.includes(kind)) return undefined;
  try {
    const key: unknown = JSON.parse(m[2]!);
    return typeof key === 'string' ? { kind, key } : undefined;
  } catch {
    return undefined;
  }
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The identity of a person: trimmed and lower-cased, and a domain written in Unicode in its ASCII (punycode) form,
 * so `a@bücher.de` and `a@xn--bcher-kva.de` are one person (contract "Identity"). The file's spelling is kept
 * separately for display.
 */
export function emailKey(email: string): string {
  const e = email.trim().toLowerCase();
  if (!NON_ASCII.test(e)) return e;
  const at = e.lastIndexOf('@');
  const ascii = at < 0 ? '' : domainToASCII(e.slice(at + 1));
  return ascii === '' ? e : `${e.slice(0, at + 1)}${ascii}`;
}

/** Exhaustiveness check for `switch` statements over closed unions. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
