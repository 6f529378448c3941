// The planner's view of one run: desired and live indexed by identity, policy predicates, and the clock.
// Built once per plan in linear time; every per-kind planner reads it and never scans lists again.

import type { DepartedEntry, Desired, DesiredMember } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Change, GroupRoles, UndeclaredItem } from '../model/plan.js';
import type { Live, LiveInvite, LiveScimUser, LiveUser } from '../model/live.js';
import { address, emailKey } from '../model/address.js';
import { reveal, visible } from '../model/char-name.js';
import { globMatcher } from '../model/email.js';
import { latinSkeleton } from '../model/email-rules.js';
import { diag } from './changes.js';
import { isKeepOnly } from '../model/roles.js';

/**
 * Why someone is leaving: declared under `departed` (with no date, or a date that has come), or a member whose
 * `expires` day has passed.
 */
export interface Departure {
  key: string;
  email: string;
  reason: string;
  line?: number;
  expired: boolean;
}

/** A declared container as the plan finds it: its live object (none yet: `created` makes it), and its members. */
export interface Container<L, M> {
  live: L | undefined;
  /** the change that creates it in this plan, when it does: memberships depend on it */
  created: Change | undefined;
  members: M[];
}

export interface PlanContext {
  desired: Desired;
  live: Live;
  now: Date;
  /** declared members whose access has not expired, by email key */
  declared: Map<string, DesiredMember>;
  /** departed entries whose day has come (or that have no date) and expired members, by email key */
  departures: Map<string, Departure>;
  /**
   * departed entries dated in the future, by email key: scheduled departures. Until that day (UTC) they are left
   * as they are — never removed, by the departure or as undeclared people, nor their memberships — with a note.
   */
  scheduled: Map<string, DepartedEntry>;
  users: Map<string, LiveUser>;
  /** the same members by id (memberships name users by id); built on first use, as only memberships need it */
  readonly usersById: ReadonlyMap<string, LiveUser>;
  /** pending invites that have not expired yet, by email key */
  pendingInvites: Map<string, LiveInvite>;
  /** invites that expired (by status or by date), newest per email key */
  expiredInvites: Map<string, LiveInvite>;
  /** SCIM users by lower-cased userName (empty when the directory was not read) */
  scimUsers: Map<string, LiveScimUser>;
  isProtected(key: string): boolean;
  isUnmanaged(email: string): boolean;
  isKeepOnly(role: string): boolean;
  diagnostics: Diagnostic[];
  /** filled by the groups planner: what each declared RBAC group grants */
  groupRoles: GroupRoles[];
  /** filled by the planners: live objects the file does not declare (drift, unless policy.undeclared is warn) */
  undeclared: UndeclaredItem[];
  /** expired invites per email key (all of them, for policy.max_reinvites) */
  expiredInviteCount: Map<string, number>;
  /** records an undeclared live object as drift (a no-op under policy.undeclared: warn) */
  drift(address: string, why: string): void;
}

/**
 * `departed: { date: 2027-03-31 }` is a removal from that day in UTC: 2027-03-31T00:00Z on. Unlike `expires`, which
 * ends access after its day, a departure date is the first day without access. An unreadable date (the schema
 * refuses it) counts as come: the entry is a departure, as one without a date.
 */
export function departureHasCome(date: string, now: Date): boolean {
  const start = Date.parse(`${date}T00:00:00Z`);
  return !Number.isFinite(start) || now.getTime() >= start;
}

/** `expires: 2027-03-31` means access ends after that day in UTC: expired from 2027-04-01T00:00Z. */
export function hasExpired(expires: string, now: Date): boolean {
  const end = Date.parse(`${expires}T00:00:00Z`) + 24 * 3600 * 1000;
  return Number.isFinite(end) && now.getTime() >= end;
}

function departedReason(d: DepartedEntry): string {
  const parts = ['departed'];
  if (d.date) parts.push(d.date);
  return d.reason ? `${parts.join(' ')}: ${reveal(d.reason)}` : parts.join(' ');
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * A declared member whose address is not ASCII and reads like the address of a live member (or pending invite) who
 * is not declared — `alіce@acme.com` with a Cyrillic і, `alıce@acme.com`, `alice@асме.com`, `alicé@acme.com` while
 * alice@acme.com is a member — is an error: a look-alike that replaced the real line would leave the real person
 * undeclared, and removed under `prune`, while its own invite fails. Declaring the live person (as a member or
 * departed) says that both are meant. Costs nothing when every declared address is ASCII.
 */
function lookAlikeMembers(
  declared: ReadonlyMap<string, DesiredMember>,
  departures: ReadonlyMap<string, Departure>,
  scheduled: ReadonlyMap<string, DepartedEntry>,
  users: ReadonlyMap<string, LiveUser>,
  invites: ReadonlyMap<string, LiveInvite>,
  diagnostics: Diagnostic[],
): void {
  const suspects = [...declared.values()].filter((m) => !ASCII.test(m.email));
  if (suspects.length === 0) return;
  const live = new Map<string, string>();
  for (const [key, u] of users) live.set(latinSkeleton(u.email, true), key);
  for (const [key, p] of invites) if (!users.has(key)) live.set(latinSkeleton(p.email, true), key);
  for (const m of suspects) {
    const key = live.get(latinSkeleton(m.email, true));
    if (key === undefined || key === m.key || declared.has(key) || departures.has(key) || scheduled.has(key)) continue;
    const other = visible(users.get(key)?.email ?? invites.get(key)?.email ?? key, (cp) => cp >= 0x80);
    const mine = visible(m.email, (cp) => cp >= 0x80);
    diagnostics.push(diag('error', 'look_alike_member',
      `${mine} is declared and reads like ${other}, ${users.has(key) ? 'a member' : 'invited'} who is not declared: ` +
      `if ${mine} replaced ${other} in the file, ${other} would be left out (and removed under prune). Declare ` +
      `${other} under members or departed if both are meant; nothing is applied until then`,
      { address: address('member', m.email), pos: m.pos }));
  }
}

export function buildContext(desired: Desired, live: Live, now: Date): PlanContext {
  const diagnostics: Diagnostic[] = [];
  const unmanaged = globMatcher(desired.policy.unmanaged);
  const isProtected = globMatcher(desired.policy.protected);
  const kind = desired.organization.kind;

  const declared = new Map<string, DesiredMember>();
  const departures = new Map<string, Departure>();
  const scheduled = new Map<string, DepartedEntry>();
  for (const d of desired.departed) {
    if (d.date !== undefined && !departureHasCome(d.date, now)) {
      scheduled.set(d.key, d);
      diagnostics.push(diag('info', 'scheduled_departure',
        `${d.email} leaves on ${d.date}${d.reason ? ` (${reveal(d.reason)})` : ''}: removed from that day (00:00 UTC) on, ` +
        'left as they are until then', { address: address('member', d.email), pos: d.pos }));
      continue;
    }
    departures.set(d.key, {
      key: d.key,
      email: d.email,
      reason: departedReason(d),
      expired: false,
      ...(d.pos ? { line: d.pos.line } : {}),
    });
  }
  for (const m of desired.members) {
    if (m.expires && hasExpired(m.expires, now)) {
      departures.set(m.key, {
        key: m.key,
        email: m.email,
        reason: `expired: access ended after ${m.expires}`,
        expired: true,
        ...(m.pos ? { line: m.pos.line } : {}),
      });
    } else {
      declared.set(m.key, m);
    }
  }

  const users = new Map<string, LiveUser>();
  for (const u of live.users) {
    const key = emailKey(u.email);
    if (users.has(key)) {
      diagnostics.push({
        severity: 'error',
        code: 'live_duplicate_email',
        message: `two live members share the email ${u.email} (${users.get(key)!.id}, ${u.id}); fix this in the console first`,
      });
      continue;
    }
    users.set(key, u);
  }

  const pendingInvites = new Map<string, LiveInvite>();
  const expiredInvites = new Map<string, LiveInvite>();
  const expiredInviteCount = new Map<string, number>();
  for (const inv of live.invites) {
    const key = emailKey(inv.email);
    const expiredByDate = Date.parse(inv.expiresAt) <= now.getTime();
    if (inv.status === 'pending' && !expiredByDate) {
      const prev = pendingInvites.get(key);
      // The API refuses a second pending invite (§6.3); if one exists anyway, keep the newest and say so.
      if (prev) {
        diagnostics.push({
          severity: 'warning',
          code: 'live_duplicate_invite',
          message: `two pending invites for ${inv.email} (${prev.id}, ${inv.id}); only the newest is considered`,
        });
        if (prev.invitedAt >= inv.invitedAt) continue;
      }
      pendingInvites.set(key, inv);
    } else if (inv.status === 'expired' || (inv.status === 'pending' && expiredByDate)) {
      expiredInviteCount.set(key, (expiredInviteCount.get(key) ?? 0) + 1);
      const prev = expiredInvites.get(key);
      if (!prev || prev.invitedAt < inv.invitedAt) expiredInvites.set(key, inv);
    }
  }

  lookAlikeMembers(declared, departures, scheduled, users, pendingInvites, diagnostics);

  const undeclared: UndeclaredItem[] = [];
  const scimUsers = new Map<string, LiveScimUser>();
  if (live.scim?.available) {
    for (const su of live.scim.users) scimUsers.set(emailKey(su.userName), su);
  }

  let byId: Map<string, LiveUser> | undefined;
  return {
    desired,
    live,
    now,
    declared,
    departures,
    scheduled,
    users,
    get usersById(): ReadonlyMap<string, LiveUser> {
      if (!byId) {
        byId = new Map();
        for (const u of users.values()) byId.set(u.id, u);
      }
      return byId;
    },
    pendingInvites,
    expiredInvites,
    scimUsers,
    isProtected,
    isUnmanaged: (email) => unmanaged(email),
    isKeepOnly: (role) => isKeepOnly(kind, role),
    diagnostics,
    groupRoles: [],
    undeclared,
    expiredInviteCount,
    drift: (addr, why) => {
      if (desired.policy.undeclared === 'drift') undeclared.push({ address: addr, why });
    },
  };
}
