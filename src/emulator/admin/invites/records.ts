// Invites as the store keeps them (§6).

import type { PageRequest } from '../../pagination.js';
import type { SortKey } from '../../sorted-index.js';

/** §6.2: "Invites expire after 21 days", not configurable. */
export const INVITE_LIFETIME_MS = 21 * 24 * 3600 * 1000;

/** `expired` is stored only when a seed says so; a `pending` invite past `expires_at` reads as expired. */
export type StoredInviteStatus = 'pending' | 'accepted' | 'expired' | 'deleted';

export interface InviteRecord {
  id: string;
  email: string;
  role: string;
  invitedAt: string;
  expiresAt: string;
  expiresMs: number;
  acceptedAt: string | null;
  stored: StoredInviteStatus;
  rbacGroupIds: string[];
  key: SortKey;
}

export type ListableInviteStatus = 'pending' | 'accepted' | 'expired';

export interface InviteListQuery {
  page: PageRequest;
  email?: string;
  roles?: string[];
  /** §6.4: omitted = pending, accepted and expired. Deleted invites are never listed. */
  statuses?: ListableInviteStatus[];
}

export interface NewInvite {
  email: string;
  role: string;
  stored?: StoredInviteStatus;
  invitedAt?: string;
  expiresAt?: string;
  acceptedAt?: string | null;
  rbacGroupIds?: string[];
  id?: string;
}
