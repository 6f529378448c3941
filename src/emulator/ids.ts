// Object ids in the formats the real API uses (§2.10): a type prefix, "01", then 22 base58 characters, e.g.
// `user_01WCz1FkmYMm4gnmykNKUu3Q`, `invite_015gWxCN9Hfg2QhZwTK7Mdeu`, `req_018EeWyXxfu5pfWkrYcMdjWG` (§2.5).
// They are random (node:crypto), so a client can never rely on them sorting by time.

import { randomBytes } from 'node:crypto';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const SUFFIX_LENGTH = 22;

/** Kinds of id the emulator mints (`svac`: service accounts, SDK 1.17 `svac_...`). */
export type IdPrefix = 'user' | 'invite' | 'req' | 'wrkspc' | 'apikey' | 'rbac_group' | 'rbac_role' | 'svac';

/** 22 uniformly random base58 characters (rejection sampling keeps the distribution flat). */
function base58(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= 232) continue; // 232 = 4 * 58: larger values would bias the first characters
      out += BASE58[byte % 58];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A new id such as `user_01…`. Uniqueness against existing objects is the store's job (`taken`). */
export function newId(prefix: IdPrefix, taken?: (id: string) => boolean): string {
  for (;;) {
    const id = `${prefix}_01${base58(SUFFIX_LENGTH)}`;
    if (!taken || !taken(id)) return id;
  }
}

export function newRequestId(): string {
  return newId('req');
}

/** True when `id` is a plausible id of this kind: the prefix, then letters and digits (used to validate seeds). */
export function looksLikeId(prefix: IdPrefix, id: string): boolean {
  return new RegExp(`^${prefix}_[0-9A-Za-z]{3,64}$`).test(id);
}
