// Organization members as the store keeps them (§5), and what the other resources' stores may read of them.

import type { EmulatorClock } from '../../clock.js';
import type { PageRequest } from '../../pagination.js';
import type { SortKey } from '../../sorted-index.js';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: string;
  addedAt: string;
  key: SortKey;
}

export interface UserListQuery {
  page: PageRequest;
  email?: string;
  roles?: string[];
}

export interface NewUser {
  email: string;
  role: string;
  name?: string;
  addedAt?: string;
  id?: string;
}

/**
 * What the stores of other resources (workspaces, API keys, groups, the directory sync) read of the organization:
 * its clock and its members. EmulatorStore is one; depending on this instead keeps those stores free of it.
 */
export interface MemberLookup {
  readonly clock: EmulatorClock;
  user(id: string): UserRecord | undefined;
  /** The member whose address equals `email`, case-insensitively. */
  userByEmail(email: string): UserRecord | undefined;
}
