// Invites (§6) and their indexes: by role and stored status (the `roles[]` and `statuses[]` filters) and by address
// (the `email` filter), each listing O(log n + page), newest first (§6.4); and the invitation emails sent (§6.2).
// Like the other stores it enforces only integrity; what accepting an invite does to the org's members and groups
// is EmulatorStore's (store.ts), the API rules are the routes'.

import type { IdPage, WireInvite, WireInviteStatus } from '../../../clients/wire.js';
import type { EmulatorClock } from '../../clock.js';
import { EmailIndex } from '../../email-index.js';
import { emailKey } from '../../emails.js';
import { newId } from '../../ids.js';
import { cursorKey, readPage, toIdPage } from '../../pagination.js';
import { PartitionedIndex, compareKeys } from '../../sorted-index.js';
import { INVITE_LIFETIME_MS, type InviteListQuery, type InviteRecord, type NewInvite } from './records.js';
import type { SeedInvite } from './seed.js';

const DAY_MS = 24 * 3600 * 1000;
const SEP = '\u0001';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function inviteSlot(inv: InviteRecord): string {
  return `${inv.role}${SEP}${inv.stored}`;
}

export class InviteStore {
  private invites = new Map<string, InviteRecord>();
  private index = new PartitionedIndex();
  private match = new EmailIndex();
  private emailsSent = new Map<string, number>();
  private seq = 0;

  /** `host.clock` is the emulator clock (it decides when a pending invite reads as expired, §6.2). */
  constructor(private readonly host: { readonly clock: EmulatorClock }) {}

  /** Replaces every invite (and the invitation email counters) with the seed's; missing timestamps end at `now`. */
  load(seeded: readonly SeedInvite[], now: number): void {
    this.invites.clear();
    this.match.clear();
    this.emailsSent.clear();
    seeded.forEach((inv, i) => {
      const sentAt = now - (seeded.length - 1 - i) * 1000;
      const stored = inv.status ?? 'pending';
      const expiresMs = inv.expires_at ? Date.parse(inv.expires_at) : undefined;
      const invitedMs = inv.invited_at
        ? Date.parse(inv.invited_at)
        : expiresMs !== undefined
          ? expiresMs - INVITE_LIFETIME_MS
          : stored === 'expired'
            ? sentAt - INVITE_LIFETIME_MS - DAY_MS
            : sentAt;
      this.materialize({
        email: inv.email,
        role: inv.role,
        stored,
        invitedAt: inv.invited_at ?? iso(invitedMs),
        expiresAt: inv.expires_at ?? iso(invitedMs + INVITE_LIFETIME_MS),
        acceptedAt: stored === 'accepted' ? (inv.accepted_at ?? inv.invited_at ?? iso(invitedMs)) : null,
        id: inv.id,
      });
    });
    this.index.load(
      [...this.invites.values()].filter((i) => i.stored !== 'deleted').map((i) => ({ part: inviteSlot(i), entry: i })),
    );
  }

  get(id: string): InviteRecord | undefined {
    return this.invites.get(id);
  }

  /** Status as the API reads it now: a pending invite past `expires_at` on the emulator clock is expired (§6.2). */
  status(inv: InviteRecord): WireInviteStatus {
    if (inv.stored === 'pending' && this.host.clock.now() >= inv.expiresMs) return 'expired';
    return inv.stored;
  }

  /** The invite for `email` (case-insensitive) that is pending right now, if any. */
  pendingFor(email: string): InviteRecord | undefined {
    const wanted = emailKey(email);
    for (const id of this.match.ids(email)) {
      const inv = this.invites.get(id);
      if (inv && emailKey(inv.email) === wanted && this.status(inv) === 'pending') return inv;
    }
    return undefined;
  }

  /** Every invite ever sent to `email` (case-insensitive), newest first, withdrawn ones included. */
  allFor(email: string): InviteRecord[] {
    const wanted = emailKey(email);
    return [...this.match.ids(email)]
      .map((id) => this.invites.get(id)!)
      .filter((inv) => emailKey(inv.email) === wanted)
      .sort((a, b) => compareKeys(a.key, b.key));
  }

  add(input: NewInvite): InviteRecord {
    const now = this.host.clock.now();
    const inv = this.materialize({
      ...input,
      invitedAt: input.invitedAt ?? iso(now),
      expiresAt: input.expiresAt ?? iso(Date.parse(input.invitedAt ?? iso(now)) + INVITE_LIFETIME_MS),
    });
    if (inv.stored !== 'deleted') this.index.insert(inviteSlot(inv), inv);
    return inv;
  }

  /** Moves an invite to `accepted` (at `acceptedAt`) or `deleted`. */
  setStatus(id: string, status: 'accepted' | 'deleted', acceptedAt: string): InviteRecord {
    const inv = this.invites.get(id);
    if (!inv) throw new Error(`no invite ${id}`);
    if (inv.stored !== 'deleted') this.index.remove(inviteSlot(inv), inv);
    inv.stored = status;
    if (status === 'accepted') inv.acceptedAt = acceptedAt;
    if (inv.stored !== 'deleted') this.index.insert(inviteSlot(inv), inv);
    return inv;
  }

  list(q: InviteListQuery): IdPage<WireInvite> {
    const roles = q.roles && q.roles.length > 0 ? new Set(q.roles) : undefined;
    const statuses = new Set<WireInviteStatus>(
      q.statuses && q.statuses.length > 0 ? q.statuses : ['pending', 'accepted', 'expired'],
    );
    // A stored `pending` invite may read as pending or expired, so its partition serves both statuses.
    const storedWanted = (stored: string): boolean =>
      stored === 'pending' ? statuses.has('pending') || statuses.has('expired') : statuses.has(stored as WireInviteStatus);
    const c = q.page.cursor;
    const cursor = c && { direction: c.direction, key: cursorKey(c.id, this.invites.get(c.id)?.key, c.direction) };
    const sources =
      q.email !== undefined
        ? [this.match.candidates(q.email, this.invites)]
        : this.index.select((slot) => {
            const [role, stored] = slot.split(SEP) as [string, string];
            return (!roles || roles.has(role)) && storedWanted(stored);
          });
    const accept = (id: string): boolean => {
      const inv = this.invites.get(id);
      return !!inv && (!roles || roles.has(inv.role)) && statuses.has(this.status(inv));
    };
    const { ids, hasMore } = readPage(sources, q.page.limit, cursor, accept);
    return toIdPage(ids.map((id) => this.toWire(this.invites.get(id)!)), hasMore);
  }

  toWire(inv: InviteRecord): WireInvite {
    return {
      type: 'invite',
      id: inv.id,
      email: inv.email,
      role: inv.role,
      invited_at: inv.invitedAt,
      expires_at: inv.expiresAt,
      accepted_at: inv.acceptedAt,
      status: this.status(inv),
      rbac_group_ids: [...inv.rbacGroupIds],
    };
  }

  // ---- invitation emails (§6.2: creating an invite sends one) ----

  recordEmail(email: string): void {
    const k = emailKey(email);
    this.emailsSent.set(k, (this.emailsSent.get(k) ?? 0) + 1);
  }

  emails(email: string): number {
    return this.emailsSent.get(emailKey(email)) ?? 0;
  }

  /** Every invite in listing order and the emails sent per address, for `GET /_emulator/state`. */
  snapshot(): { invites: WireInvite[]; invitation_emails: Record<string, number> } {
    return {
      invites: [...this.invites.values()].sort((a, b) => compareKeys(a.key, b.key)).map((i) => this.toWire(i)),
      invitation_emails: Object.fromEntries([...this.emailsSent].sort(([a], [b]) => a.localeCompare(b))),
    };
  }

  private materialize(input: NewInvite & { invitedAt: string; expiresAt: string }): InviteRecord {
    const inv: InviteRecord = {
      id: input.id ?? newId('invite', (id) => this.invites.has(id)),
      email: input.email,
      role: input.role,
      invitedAt: input.invitedAt,
      expiresAt: input.expiresAt,
      expiresMs: Date.parse(input.expiresAt),
      acceptedAt: input.acceptedAt ?? null,
      stored: input.stored ?? 'pending',
      rbacGroupIds: [...(input.rbacGroupIds ?? [])],
      key: { ms: Date.parse(input.invitedAt), seq: ++this.seq },
    };
    this.invites.set(inv.id, inv);
    this.match.add(inv.email, inv.id);
    return inv;
  }
}
