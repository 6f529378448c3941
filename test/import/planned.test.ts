// Import is built on the planner (issue 16, item 3): what a draft of the file would change when planned is left out,
// whatever the planner's reason. These tests give buildImport a planner that plans more (or less) than the real one
// and check the file follows the planner, not a copy of its rules.

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDesired } from '../../src/config/load.js';
import { buildImport, candidate, type Planner } from '../../src/import/build.js';
import type { ImportSource } from '../../src/import/source.js';
import { address } from '../../src/model/address.js';
import type { ResourceKind } from '../../src/model/kinds.js';
import type { LiveUser } from '../../src/model/live.js';
import type { Action, Change } from '../../src/model/plan.js';
import { IMPORTER, plan } from '../../src/planner/index.js';

const ORG = '8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b';
const NOW = new Date('2026-11-23T12:00:00Z');

const user = (id: string, email: string, role: string): LiveUser => ({ id, email, name: '', role });
const dev = user('u1', 'dev@acme.com', 'developer');
const usr = user('u2', 'usr@acme.com', 'user');

function source(over: Partial<ImportSource>): ImportSource {
  return { organization: { id: ORG, name: 'Acme' }, kind: 'console', kindSource: 'detected', provisioning: 'invite', users: [], invites: [], ...over };
}

const consoleOrg = source({
  users: [dev, usr],
  workspaces: [{ id: 'w1', name: 'Lab', displayColor: '', archived: false }, { id: 'w2', name: 'Ops', displayColor: '', archived: false }],
  workspaceMembers: [
    { workspaceId: 'w1', userId: dev.id, role: 'workspace_developer' },
    { workspaceId: 'w2', userId: usr.id, role: 'workspace_user' },
  ],
});

function fake(kind: ResourceKind, key: string, action: Action, reason: string): Change {
  return { address: address(kind, key), kind, key, action, reason, phase: 0, before: null, after: null, depends_on: [], removal: false } as unknown as Change;
}

/** The real planner, plus `extra` for every declaration it names that the file still declares. */
function plannerAlso(extra: Change[]): Planner & { calls: number } {
  const p = ((d, l, o) => {
    p.calls += 1;
    const out = plan(d, l, o);
    const declared = new Set([
      ...d.members.map((m) => address('member', m.email)),
      ...d.workspaces.flatMap((w) => [address('workspace', w.name), ...(w.members ?? []).map((m) => address('workspace_member', `${w.name}/${m.email}`))]),
    ]);
    out.changes.push(...extra.filter((c) => declared.has(c.address)));
    return out;
  }) as Planner & { calls: number };
  p.calls = 0;
  return p;
}

function built(src: ImportSource, planner: Planner) {
  const r = buildImport(src, { now: NOW, version: '1', plan: planner, importer: IMPORTER });
  return { ...r, doc: parse(r.text) as Record<string, any> };
}

describe('buildImport follows the planner', () => {
  it('with the real planner, this organization is declared whole, in one draft', () => {
    const planner = plannerAlso([]);
    const r = built(consoleOrg, planner);
    expect(r.doc.members).toEqual({ 'dev@acme.com': 'developer', 'usr@acme.com': 'user' });
    expect(r.doc.workspaces).toEqual({ Lab: { members: { 'dev@acme.com': 'workspace_developer' } }, Ops: { members: { 'usr@acme.com': 'workspace_user' } } });
    expect(planner.calls).toBe(1);
  });

  it('a person the plan would change is left out with the plan\'s reason, and so are the memberships naming them', () => {
    const planner = plannerAlso([fake('member', 'dev@acme.com', 'update', 'role developer → user')]);
    const r = built(consoleOrg, planner);
    expect(r.doc.members).toEqual({ 'usr@acme.com': 'user' });
    expect(r.text).toContain('#   dev@acme.com (developer); declaring them would plan update member["dev@acme.com"] (role developer → user)');
    expect(r.doc.workspaces.Lab).toEqual({});
    expect(r.text).toMatch(/# members not managed: dev@acme\.com is not declared above\n {2}Lab: \{\}/);
    expect(r.doc.workspaces.Ops).toEqual({ members: { 'usr@acme.com': 'workspace_user' } });
    expect(r.summary.notDeclared).toBe(1);
    expect(planner.calls).toBe(2); // the second draft plans no change
  });

  it('a membership the plan would change leaves that workspace\'s membership unmanaged; a changed workspace is left out', () => {
    const r = built(consoleOrg, plannerAlso([
      fake('workspace_member', 'Ops/usr@acme.com', 'manual', 'a person must do it'),
      fake('workspace', 'Lab', 'update', 'colour'),
    ]));
    expect(r.doc.members).toEqual({ 'dev@acme.com': 'developer', 'usr@acme.com': 'user' });
    expect(r.doc.workspaces).toEqual({ Ops: {} });
    expect(r.text).toContain('# members not managed: declaring them would plan manual workspace_member["Ops/usr@acme.com"] (a person must do it)');
    expect(r.text).toContain('#   "Lab": declaring it would plan update workspace["Lab"] (colour)');
  });

  it('a deferred change (waiting for a sign-in or the directory sync) is what the org is doing already: kept', () => {
    const r = built(consoleOrg, plannerAlso([fake('member', 'dev@acme.com', 'deferred', 'pending directory sync')]));
    expect(r.doc.members).toEqual({ 'dev@acme.com': 'developer', 'usr@acme.com': 'user' });
  });

  it('the rules are the planner\'s: a member whose SCIM user is deactivated is left out only because the plan would reactivate it', () => {
    const src = source({
      kind: 'enterprise', provisioning: 'scim', users: [user('u3', 'grace@acme.com', 'user')], groups: [],
      scim: { available: true, users: [{ id: 's1', userName: 'grace@acme.com', active: false }], groups: [] },
    });
    const real = built(src, plan);
    expect(real.doc.members).toEqual({});
    expect(real.text).toMatch(/grace@acme\.com \(user\): their SCIM user is deactivated, so the next directory sync removes them; declaring them would reactivate it/);
    // a planner that would change nothing: nothing is left out, so no rule of its own stands in for it
    const none: Planner = (d, l, o) => ({ ...plan(d, l, o), changes: [] });
    expect(built(src, none).doc.members).toEqual({ 'grace@acme.com': 'user' });
  });
});

describe('the candidate planned is the file written', () => {
  /** A Desired without where each entry was written (the candidate is data, it was written nowhere). */
  const placeless = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x) => (k === 'pos' || k === 'file' || k === 'sha256' ? undefined : x)));

  const enterpriseOrg = source({
    kind: 'enterprise', provisioning: 'scim', users: [user('u3', 'Ada@acme.com', 'developer'), user('u4', 'linus@acme.com', 'user')],
    groups: [{ id: 'g1', name: 'Platform', sourceType: 'direct' }, { id: 'g2', name: 'Empty', sourceType: 'direct' }],
    groupMembers: [{ groupId: 'g1', userId: 'u3' }],
    scim: {
      available: true,
      users: [{ id: 's1', userName: 'ada@acme.com', active: true, givenName: 'Ada', familyName: 'Lovelace' }, { id: 's2', userName: 'new@acme.com', active: true }],
      groups: [{ id: 'sg1', displayName: 'Eng', externalId: 'eng', members: ['s1', 's2'] }],
    },
  });

  for (const [name, src] of [['console', consoleOrg], ['enterprise', enterpriseOrg]] as const) {
    it(`${name}: loading the text gives the Desired that was planned`, () => {
      const r = buildImport(src, { now: NOW, version: '1', plan, importer: IMPORTER });
      const loaded = parseDesired(r.text, 'imported.yaml');
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(placeless(loaded.desired)).toEqual(placeless(candidate(src, r.selection)));
    });
  }
});
