// Members, invites and SCIM users: who belongs to the organization, with which role, and who leaves.
// Contract: desired-state.md "members and roles", "Invites", "removals", "scim"; API facts §3, §5, §6, §13.

import { address, emailKey } from '../model/address.js';
import type { DesiredMember } from '../model/desired.js';
import type { LiveInvite, LiveScimUser, LiveUser } from '../model/live.js';
import type { DraftEntry, DraftSource, LeftOutView, ScimUserAttrs, SectionDraft } from '../model/kinds.js';
import type { Change } from '../model/plan.js';
import { declarableRoles, demotionKind, isDemotion } from '../model/roles.js';
import { byEmail, byText, EMAIL, emptyDraft } from './drafting.js';

/** `demotion: role developer → user`; for roles that are not comparable, says why it counts as a removal. */
function roleChangeReason(from: string, to: string): string {
  const d = demotionKind(from, to);
  if (!d) return `role ${from} → ${to}`;
  if (d.kind === 'demotion') return `demotion: role ${from} → ${to}`;
  return `role ${from} → ${to}: counts as a removal, since ${to} does not include everything ${from} gave` +
    `${d.lost.length > 0 ? ` (${d.lost.join(', ').replace(/_/g, ' ')})` : ''}`;
}
import { change, diag } from './changes.js';
import type { PlanContext } from './context.js';
import { PHASE } from './phases.js';

function userAttrs(u: LiveUser) {
  return { email: u.email, name: u.name, role: u.role };
}

function inviteAttrs(i: LiveInvite) {
  return { email: i.email, role: i.role, status: i.status, expires_at: i.expiresAt };
}

function scimUserAttrs(s: LiveScimUser) {
  return { userName: s.userName, active: s.active };
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** The SCIM user a new member gets (contract "scim"): userName = email, name split at the first space. */
export function scimUserFor(m: DesiredMember): ScimUserAttrs {
  const out: ScimUserAttrs = { userName: m.email, email: m.email, active: true };
  if (m.name) {
    const i = m.name.indexOf(' ');
    out.givenName = i < 0 ? m.name : m.name.slice(0, i);
    if (i >= 0) out.familyName = m.name.slice(i + 1);
  }
  return out;
}

export function planMembers(ctx: PlanContext): Change[] {
  const out: Change[] = [];
  for (const m of ctx.declared.values()) planDeclared(ctx, m, out);
  for (const d of ctx.departures.values()) planDeparture(ctx, d.key, d.reason, d.line, out);
  planUndeclared(ctx, out);
  return out;
}

function planDeclared(ctx: PlanContext, m: DesiredMember, out: Change[]): void {
  const u = ctx.users.get(m.key);
  const memberAddr = address('member', m.email);
  if (u) {
    planScimReactivation(ctx, m, out);
    if (u.role === m.role) return;
    if (ctx.isKeepOnly(u.role)) {
      out.push(change({
        kind: 'member', key: m.email, action: 'manual', phase: PHASE.members, id: u.id, pos: m.pos,
        reason: `holds ${u.role}, which the API can never change; change it to ${m.role} in the console if intended`,
        before: { role: u.role }, after: { role: m.role }, touches: u,
      }));
      return;
    }
    if (ctx.isKeepOnly(m.role)) {
      out.push(change({
        kind: 'member', key: m.email, action: 'manual', phase: PHASE.members, id: u.id, pos: m.pos,
        reason: `${m.role} can only be granted by a person in the console`,
        before: { role: u.role }, after: { role: m.role }, touches: u,
      }));
      return;
    }
    const demotion = isDemotion(u.role, m.role);
    if (demotion && ctx.isProtected(m.key)) {
      ctx.diagnostics.push(diag('warning', 'protected_demotion',
        `${m.email} is protected: the change of role ${u.role} → ${m.role} is not planned`,
        { address: memberAddr, pos: m.pos }));
      return;
    }
    out.push(change({
      kind: 'member', key: m.email, action: 'update', phase: PHASE.members, id: u.id, pos: m.pos,
      reason: roleChangeReason(u.role, m.role),
      before: userAttrs(u), after: { ...userAttrs(u), role: m.role }, touches: u,
    }));
    return;
  }

  switch (ctx.desired.organization.provisioning) {
    case 'invite':
      planInvite(ctx, m, out);
      return;
    case 'jit':
      ctx.diagnostics.push(diag('info', 'awaiting_first_sign_in',
        `${m.email} is not a member yet; with provisioning jit they join at their first sign-in`,
        { address: memberAddr, pos: m.pos }));
      return;
    case 'scim':
      planScimUser(ctx, m, out);
      return;
  }
}

function planInvite(ctx: PlanContext, m: DesiredMember, out: Change[]): void {
  const p = ctx.pendingInvites.get(m.key);
  const addr = address('invite', m.email);
  if (p && p.role === m.role) {
    ctx.diagnostics.push(diag('info', 'invited',
      `${m.email} is invited as ${p.role}, expires ${day(p.expiresAt)}`, { address: addr, pos: m.pos }));
    return;
  }
  if (ctx.isKeepOnly(m.role)) {
    out.push(change({
      kind: 'invite', key: m.email, action: 'manual', phase: PHASE.members, pos: m.pos,
      reason: `an invite as ${m.role} can only be sent by a person in the console`,
      before: p ? inviteAttrs(p) : null, after: { email: m.email, role: m.role },
      ...(p ? { id: p.id, touches: p } : {}),
    }));
    return;
  }
  if (p) {
    // An invite cannot be updated (§6.2): withdraw it and send a new one.
    out.push(change({
      kind: 'invite', key: m.email, action: 'replace', phase: PHASE.members, id: p.id, pos: m.pos,
      reason: `pending invite has role ${p.role}; withdraw it and invite as ${m.role}`,
      before: inviteAttrs(p), after: { email: m.email, role: m.role }, touches: p,
    }));
    return;
  }
  const expired = ctx.expiredInvites.get(m.key);
  const times = ctx.expiredInviteCount.get(m.key) ?? 0;
  if (expired && times >= ctx.desired.policy.maxReinvites) {
    // policy.max_reinvites: the invitations went unanswered; another email is not the answer (issue 14).
    out.push(change({
      kind: 'invite', key: m.email, action: 'manual', phase: PHASE.members, pos: m.pos,
      reason: `not invited again: ${times} invite${times === 1 ? '' : 's'} to this address expired unanswered (the last sent ` +
        `${day(expired.invitedAt)}; policy.max_reinvites is ${ctx.desired.policy.maxReinvites}). Ask them, or take them out ` +
        'of the file or under departed',
      after: { email: m.email, role: m.role },
    }));
    return;
  }
  out.push(change({
    kind: 'invite', key: m.email, action: 'create', phase: PHASE.members, pos: m.pos,
    reason: expired ? `re-invite: the invite of ${day(expired.invitedAt)} expired ${day(expired.expiresAt)}` : 'new member',
    after: { email: m.email, role: m.role },
  }));
}

function scimUnavailable(ctx: PlanContext): string | undefined {
  const s = ctx.live.scim;
  if (!s) return 'the SCIM directory was not read';
  return s.available ? undefined : s.reason;
}

function planScimUser(ctx: PlanContext, m: DesiredMember, out: Change[]): void {
  const why = scimUnavailable(ctx);
  if (why !== undefined) {
    out.push(change({
      kind: 'scim_user', key: m.email, action: 'unavailable', phase: PHASE.members, pos: m.pos,
      reason: `cannot provision through SCIM: ${why}`, after: scimUserFor(m),
    }));
    return;
  }
  const s = ctx.scimUsers.get(m.key);
  if (!s) {
    out.push(change({
      kind: 'scim_user', key: m.email, action: 'create', phase: PHASE.members, pos: m.pos,
      reason: 'new member: create the SCIM user; they join after the directory sync', after: scimUserFor(m),
    }));
  } else if (!s.active) {
    out.push(change({
      kind: 'scim_user', key: m.email, action: 'update', phase: PHASE.members, pos: m.pos, id: s.id,
      reason: 'declared again: reactivate the SCIM user', before: scimUserAttrs(s),
      after: { ...scimUserAttrs(s), active: true }, touches: s,
    }));
  } else {
    out.push(change({
      kind: 'member', key: m.email, action: 'deferred', phase: PHASE.members, pos: m.pos,
      reason: 'pending directory sync: the SCIM user exists, the member appears after the next sync',
      after: { email: m.email, role: m.role },
    }));
  }
}

/** A declared member whose SCIM user was deactivated would be removed by the next sync: reactivate it. */
function planScimReactivation(ctx: PlanContext, m: DesiredMember, out: Change[]): void {
  if (ctx.desired.organization.provisioning !== 'scim' || scimUnavailable(ctx) !== undefined) return;
  const s = ctx.scimUsers.get(m.key);
  if (s && !s.active) {
    out.push(change({
      kind: 'scim_user', key: m.email, action: 'update', phase: PHASE.members, pos: m.pos, id: s.id,
      reason: 'declared member whose SCIM user is inactive: reactivate before the sync removes them',
      before: scimUserAttrs(s), after: { ...scimUserAttrs(s), active: true }, touches: s,
    }));
  }
}

/** Removes a live member the way the provisioning mode allows (contract "removals"). */
function planRemoval(ctx: PlanContext, u: LiveUser, why: string, line: number | undefined, out: Change[]): void {
  const base = { phase: PHASE.memberRemovals, line } as const;
  if (ctx.isKeepOnly(u.role)) {
    out.push(change({
      ...base, kind: 'member', key: u.email, action: 'manual', id: u.id, before: userAttrs(u), touches: u,
      reason: `${why}; holds ${u.role}, which the API can never remove: remove them in the console`,
    }));
    return;
  }
  if (ctx.desired.organization.provisioning !== 'scim') {
    out.push(change({
      ...base, kind: 'member', key: u.email, action: 'delete', id: u.id, before: userAttrs(u), touches: u,
      reason: why,
    }));
    planSignOut(ctx, u, why, line, out);
    return;
  }
  const unavailable = scimUnavailable(ctx);
  if (unavailable !== undefined) {
    out.push(change({
      ...base, kind: 'scim_user', key: u.email, action: 'unavailable', before: userAttrs(u),
      reason: `${why}; cannot deprovision through SCIM: ${unavailable}`,
    }));
    return;
  }
  const s = ctx.scimUsers.get(emailKey(u.email));
  if (!s) {
    out.push(change({
      ...base, kind: 'member', key: u.email, action: 'manual', id: u.id, before: userAttrs(u), touches: u,
      reason: `${why}; not in the SCIM directory, and with provisioning scim the Admin API refuses removals: if their ` +
        'SCIM user was just deleted, the next directory sync removes them; otherwise remove them in the console',
    }));
    return;
  }
  const mode = ctx.desired.scim.deprovision;
  if (mode === 'delete') {
    out.push(change({
      ...base, kind: 'scim_user', key: u.email, action: 'delete', id: s.id, before: scimUserAttrs(s), touches: s,
      reason: `${why}: delete the SCIM user (scim.deprovision: delete)`,
    }));
    planSignOut(ctx, u, why, line, out);
  } else if (s.active) {
    out.push(change({
      ...base, kind: 'scim_user', key: u.email, action: 'update', id: s.id, before: scimUserAttrs(s),
      after: { ...scimUserAttrs(s), active: false }, touches: s,
      reason: `${why}: deactivate the SCIM user (scim.deprovision: deactivate)`,
    }));
    planSignOut(ctx, u, why, line, out);
  } else {
    out.push(change({
      ...base, kind: 'member', key: u.email, action: 'deferred', id: u.id, before: userAttrs(u),
      reason: `${why}: the SCIM user is deactivated; the member is removed at the next directory sync`,
    }));
  }
}

/**
 * policy.sign_out_on_removal: a member the tool removes is signed out everywhere first, as a change of its own (phase
 * signOuts, before memberRemovals): removed through the Admin API, or deprovisioned in the SCIM directory (their
 * sessions would otherwise last until the next directory sync removes them). Not a dependency of the removal: a
 * refused sign-out must not keep them in. Planned with the removing change only, so a member already deprovisioned
 * and waiting for the sync (`deferred`) is not signed out again at every plan.
 */
function planSignOut(ctx: PlanContext, u: LiveUser, why: string, line: number | undefined, out: Change[]): void {
  if (!ctx.desired.policy.signOutOnRemoval) return;
  out.push(change({
    kind: 'sign_out', key: u.email, action: 'create', phase: PHASE.signOuts, id: u.id, line, touches: u,
    reason: `${why}: sign out everywhere before the removal (policy.sign_out_on_removal)`,
    after: { email: u.email, user_id: u.id },
  }));
}

function planDeparture(ctx: PlanContext, key: string, why: string, line: number | undefined, out: Change[]): void {
  const u = ctx.users.get(key);
  const p = ctx.pendingInvites.get(key);
  const s = ctx.scimUsers.get(key);
  const email = u?.email ?? p?.email ?? s?.userName ?? key;
  if (ctx.isUnmanaged(email)) return;
  if (ctx.isProtected(key)) {
    // Only reachable through `expires` (protected + departed is a validation error): protection wins.
    if (u || p) {
      ctx.diagnostics.push(diag('warning', 'protected_departure',
        `${email} is protected and is not removed (${why})`, { address: address('member', email), line }));
    }
    return;
  }
  if (ctx.desired.policy.removals === 'never') {
    if (u || p || s?.active) {
      ctx.diagnostics.push(diag('warning', 'removal_suppressed',
        `${email} is ${why}, but policy.removals is never: nothing is removed`,
        { address: address('member', email), line }));
    }
    return;
  }
  if (u) planRemoval(ctx, u, why, line, out);
  else if (s && ctx.desired.organization.provisioning === 'scim' && scimUnavailable(ctx) === undefined) {
    // Not (or no longer) a member, but still provisioned in the directory: the next sync would bring them in.
    planOrphanScimUser(ctx, s, why, line, out);
  }
  if (p) {
    out.push(change({
      kind: 'invite', key: p.email, action: 'delete', phase: PHASE.memberRemovals, id: p.id, line,
      reason: `${why}: withdraw the pending invite`, before: inviteAttrs(p), touches: p,
    }));
  }
}

function planOrphanScimUser(ctx: PlanContext, s: LiveScimUser, why: string, line: number | undefined, out: Change[]): void {
  const base = { kind: 'scim_user', key: s.userName, phase: PHASE.memberRemovals, id: s.id, line,
    before: scimUserAttrs(s), touches: s } as const;
  if (ctx.desired.scim.deprovision === 'delete') {
    out.push(change({ ...base, action: 'delete', reason: `${why}: delete the SCIM user before it syncs` }));
  } else if (s.active) {
    out.push(change({ ...base, action: 'update', after: { ...scimUserAttrs(s), active: false },
      reason: `${why}: deactivate the SCIM user before it syncs` }));
  }
}

function planUndeclared(ctx: PlanContext, out: Change[]): void {
  const mode = ctx.desired.policy.removals;
  for (const [key, u] of ctx.users) {
    if (ctx.declared.has(key) || ctx.departures.has(key) || ctx.scheduled.has(key) || ctx.isUnmanaged(u.email)) continue;
    if (ctx.isProtected(key)) continue;
    const addr = address('member', u.email);
    if (mode === 'prune') {
      if (ctx.isKeepOnly(u.role)) {
        ctx.diagnostics.push(diag('info', 'kept_keep_only',
          `${u.email} is not declared but holds ${u.role}, which the tool never removes`, { address: addr }));
        ctx.drift(addr, `${u.email} (${u.role}) is a member the file does not declare, and the tool never removes ${u.role}: declare them`);
        continue;
      }
      planRemoval(ctx, u, 'not declared (policy.removals: prune)', undefined, out);
    } else {
      ctx.diagnostics.push(diag('warning', 'undeclared_member',
        `${u.email} (${u.role}) is a member but is not declared; policy.removals is ${mode}, so they are left ` +
        'alone. Declare them under members, departed, or policy.unmanaged.', { address: addr }));
      ctx.drift(addr, `${u.email} (${u.role}) is a member the file does not declare: declare them under members, departed or policy.unmanaged`);
    }
  }
  for (const [key, p] of ctx.pendingInvites) {
    if (ctx.declared.has(key) || ctx.departures.has(key) || ctx.scheduled.has(key) || ctx.users.has(key) || ctx.isUnmanaged(p.email)) continue;
    if (ctx.isProtected(key)) continue;
    const addr = address('invite', p.email);
    if (mode === 'prune') {
      out.push(change({
        kind: 'invite', key: p.email, action: 'delete', phase: PHASE.memberRemovals, id: p.id,
        reason: 'not declared (policy.removals: prune): withdraw the pending invite', before: inviteAttrs(p),
        touches: p,
      }));
    } else {
      ctx.diagnostics.push(diag('warning', 'undeclared_invite',
        `${p.email} has a pending invite as ${p.role} but is not declared; policy.removals is ${mode}, so it is ` +
        'left alone', { address: addr }));
      ctx.drift(addr, `${p.email} has a pending invite as ${p.role} that the file does not declare: declare them, or list them under departed to withdraw it`);
    }
  }
}

function scimName(s: LiveScimUser): string | undefined {
  const n = [s.givenName, s.familyName].filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(' ').trim();
  return n === '' ? undefined : n;
}

/**
 * Import's drafting of `members` (the inverse of planMembers): every member with their role, pending invites, and
 * under provisioning scim the SCIM users not synced yet; less the people the plans of earlier drafts would change.
 */
export function draftMembers(src: DraftSource, now: Date, left: LeftOutView): SectionDraft<DesiredMember> {
  const draft = emptyDraft<DesiredMember>();
  const notes = draft.notes;
  const out = new Map<string, DraftEntry<DesiredMember>>();
  const roles = declarableRoles(src.kind);
  const scim = src.kind === 'enterprise' && src.scim?.available ? src.scim : undefined;
  const scimUsers = new Map<string, LiveScimUser>((scim?.users ?? []).map((s) => [emailKey(s.userName), s]));
  const viaScim = src.provisioning === 'scim';
  const seenUsers = new Map<string, LiveUser>();
  const leftOut = (key: string): boolean => {
    const why = left.person(key);
    if (why !== undefined) notes.push(why);
    return why !== undefined;
  };
  const entry = (item: DesiredMember, subject: string, more: Partial<DraftEntry<DesiredMember>> = {}): DraftEntry<DesiredMember> =>
    ({ item, key: item.email, notes: [], subject, ...more });

  for (const u of [...src.users].sort(byEmail)) {
    const key = emailKey(u.email);
    const first = seenUsers.get(key);
    if (first) {
      // The planner stops on this (live_duplicate_email); the file can hold only one of them.
      notes.push(`${u.email} (${u.role}): a second member with the address of ${first.email}; fix it in the console`);
      continue;
    }
    seenUsers.set(key, u);
    if (!EMAIL.test(u.email)) {
      notes.push(`${JSON.stringify(u.email)} (${u.role}): not an email address the file format accepts`);
      continue;
    }
    if (!roles.includes(u.role)) {
      notes.push(`${u.email}: role ${u.role} is not a role of ${src.kind} organizations this tool knows`);
      continue;
    }
    if (leftOut(key)) continue;
    const su = scimUsers.get(key);
    const subject = `${u.email} (${u.role})${viaScim && su && !su.active ? ': their SCIM user is deactivated, so the next directory sync removes them' : ''}`;
    const name = viaScim && su ? scimName(su) : undefined;
    out.set(key, entry({ email: u.email, key, role: u.role, ...(name ? { name } : {}) }, subject));
  }

  // Invites: the newest per address, split as the planner splits them (context.ts): pending and not past
  // `expires_at` is pending; expired by status or by date is expired (§6.2: a pending invite past its date reads
  // as expired).
  const pending = new Map<string, LiveInvite>();
  const expired = new Map<string, LiveInvite>();
  for (const inv of src.invites) {
    const key = emailKey(inv.email);
    const pastDate = Date.parse(inv.expiresAt) <= now.getTime();
    const into = inv.status === 'pending' && !pastDate ? pending : inv.status === 'expired' || inv.status === 'pending' ? expired : undefined;
    if (!into) continue;
    const prev = into.get(key);
    if (!prev || prev.invitedAt < inv.invitedAt) into.set(key, inv);
  }
  for (const [key, inv] of [...pending].sort(([a], [b]) => byText(a, b))) {
    if (out.has(key) || seenUsers.has(key)) continue;
    // with provisioning scim, a SCIM user the directory holds for them is who they are (below)
    if (viaScim && scimUsers.has(key)) continue;
    const what = `${inv.email}: pending invite as ${inv.role}, expires ${day(inv.expiresAt)}`;
    if (!EMAIL.test(inv.email) || !roles.includes(inv.role)) {
      notes.push(`${what}; the address or role cannot be declared in the file`);
      continue;
    }
    if (leftOut(key)) continue;
    out.set(key, entry({ email: inv.email, key, role: inv.role }, what, { note: `invited, expires ${day(inv.expiresAt)}`, state: 'invited' }));
  }
  if (scim) {
    for (const s of [...scim.users].sort((a, b) => byText(emailKey(a.userName), emailKey(b.userName)))) {
      const key = emailKey(s.userName);
      if (out.has(key) || seenUsers.has(key)) continue;
      const subject = `${s.userName}: SCIM user, ${s.active ? 'not a member yet' : 'deactivated and not a member'}`;
      if (!viaScim) {
        // not provisioned through the directory: they are not the organization's until they join some other way
        notes.push(`${subject}${s.active && src.provisioning === 'invite' ? '; with provisioning invite, declaring them would send an invite' : ''}`);
        continue;
      }
      if (!EMAIL.test(s.userName)) {
        notes.push(`${JSON.stringify(s.userName)}: SCIM user whose userName is not an email address the file format accepts`);
        continue;
      }
      if (leftOut(key)) continue;
      // §13.2: a member created by the directory sync joins with the role User.
      const name = scimName(s);
      out.set(key, entry({ email: s.userName, key, role: 'user', ...(name ? { name } : {}) }, subject,
        { note: 'SCIM user, not a member yet: joins as user at the next directory sync', state: 'awaiting_sync' }));
    }
  }
  for (const [key, inv] of expired) {
    if (out.has(key) || seenUsers.has(key) || pending.has(key)) continue;
    // Not the organization's (no membership, no open invite), so not a candidate: the note says what declaring
    // them again would start.
    const then = src.provisioning === 'invite' ? 'declaring them would send a new invite'
      : src.provisioning === 'scim' ? 'declaring them would create a SCIM user' : 'declare them again if they should still join';
    notes.push(`${inv.email}: the invite as ${inv.role} expired ${day(inv.expiresAt)}; ${then}`);
  }

  draft.entries = [...out.values()].sort((a, b) => byEmail(a.item, b.item));
  notes.sort(byText);
  // every note is a person left out
  draft.skipped = notes.length;
  return draft;
}
