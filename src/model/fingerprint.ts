// Fingerprints of live objects and of plans: sha256 over a canonical JSON (keys sorted, undefined dropped), so
// the same data always hashes the same whatever the order it was read in.

import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Fingerprint of one live object as read. */
export function fingerprint(obj: object): string {
  return sha256(canonicalJson(obj));
}
