// Seeds of workspaces, workspace members and API keys: what a seed builds, every problem reported with its path,
// and the state endpoint that shows it all.

import { describe, expect, it } from 'vitest';
import { parseSeed, SeedError } from '../../src/emulator/index.js';
import { call, control, emulator, expectEnvelope } from './helpers.js';

function problemsOf(text: string): string[] {
  try {
    parseSeed(text, 'ws.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(SeedError);
    return (e as SeedError).problems;
  }
  throw new Error('expected a SeedError');
}

const GOOD = `
default_workspace_id: wrkspc_01DefaultWorkspaceIdXyz
users:
  - { email: alice@acme.com, role: developer }
  - { email: boss@acme.com, role: admin, id: user_01BossBossBossBossBoss }
workspaces:
  - { name: Research, display_color: "#6C5BB9", created_at: 2025-01-01T00:00:00Z, tags: { team: research } }
  - { name: Twin }
  - { name: Twin, id: wrkspc_01SecondTwinAbcdefgh }
  - { name: Old Project, archived: true, archived_at: 2025-06-01T00:00:00Z, created_at: 2025-02-01T00:00:00Z }
workspace_members:
  - { workspace: Research, email: alice@acme.com, role: workspace_developer }
  - { workspace_id: wrkspc_01SecondTwinAbcdefgh, user_id: user_01BossBossBossBossBoss, role: workspace_user }
api_keys:
  - { name: ci, created_by: alice@acme.com, workspace: Research }
  - { name: old, created_by: ALICE@acme.com, workspace: Old Project, status: inactive }
  - { name: gone, created_by_user_id: user_01FormerFormerFormerFor }
`;

describe('loading', () => {
  it('builds workspaces, memberships (hidden ones included) and keys from YAML', async () => {
    const emu = await emulator({ seed: parseSeed(GOOD, 'good.yaml') });
    const state = (await control(emu, '/state')).body;
    expect(state.default_workspace_id).toBe('wrkspc_01DefaultWorkspaceIdXyz');
    const byName = (n: string) => state.workspaces.filter((w: { name: string }) => w.name === n);
    expect(byName('Default')).toEqual([expect.objectContaining({ id: 'wrkspc_01DefaultWorkspaceIdXyz', default: true })]);
    expect(byName('Research')[0]).toMatchObject({ display_color: '#6C5BB9', created_at: '2025-01-01T00:00:00Z', tags: { team: 'research' }, default: false });
    expect(byName('Twin')).toHaveLength(2);
    expect(byName('Old Project')[0]).toMatchObject({ archived_at: '2025-06-01T00:00:00Z' });
    expect(state.workspace_members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ workspace_role: 'workspace_developer', email: 'alice@acme.com', hidden: false }),
        // An org admin's explicit membership is kept but hidden (§3.2).
        expect.objectContaining({ workspace_id: 'wrkspc_01SecondTwinAbcdefgh', user_id: 'user_01BossBossBossBossBoss', hidden: true }),
      ]),
    );
    expect(state.api_keys.map((k: { name: string }) => k.name)).toEqual(['gone', 'old', 'ci']);
    expect(state.api_keys[0]).toMatchObject({ created_by: { id: 'user_01FormerFormerFormerFor', type: 'user' }, workspace_id: null });
    expect((await call(emu, '/v1/organizations/workspaces/wrkspc_01SecondTwinAbcdefgh/members')).body.data).toEqual([]);
  });

  it('PUT /_emulator/state replaces workspaces too; a bad one is a 400 and keeps the old state', async () => {
    const emu = await emulator({ seed: parseSeed(GOOD, 'good.yaml') });
    const put = await control(emu, '/state', { method: 'PUT', body: { workspaces: [{ name: 'Only' }] } });
    expect(put.status).toBe(200);
    expect((await call(emu, '/v1/organizations/workspaces')).body.data.map((w: { name: string }) => w.name)).toEqual(['Only']);
    expect(put.body.api_keys).toEqual([]);
    expect(put.body.workspace_members).toEqual([]);
    const bad = await control(emu, '/state', { method: 'PUT', body: { workspaces: [{ name: '' }] } });
    expect(expectEnvelope(bad, 400, 'invalid_request_error')).toContain('workspaces[0].name');
    expect((await call(emu, '/v1/organizations/workspaces')).body.data.map((w: { name: string }) => w.name)).toEqual(['Only']);
  });
});

describe('errors', () => {
  it('reports every problem with its path', () => {
    const problems = problemsOf(`
default_workspace_id: wrkspc_01SameIdSameIdSameIdSa
users:
  - { email: a@acme.com, role: user }
  - { email: b@acme.com, role: billing }
workspaces:
  - { name: "${'x'.repeat(41)}" }
  - { name: Dup, id: wrkspc_01SameIdSameIdSameIdSa }
  - { name: Dup, display_color: purple, archived: maybe, colour: red }
  - { name: Gone, archived: false, archived_at: 2025-01-01T00:00:00Z }
  - { name: Tags, tags: { anthropic-team: x, n: 1 }, created_at: soon }
  - { id: user_01notaworkspace }
workspace_members:
  - { workspace: Dup, email: a@acme.com, role: workspace_user }
  - { workspace: Nowhere, email: a@acme.com, role: workspace_user }
  - { workspace: Tags, email: nobody@acme.com, role: workspace_billing }
  - { workspace_id: wrkspc_01SameIdSameIdSameIdSa, email: a@acme.com, role: workspace_user }
  - { workspace: Tags, email: a@acme.com, user_id: user_01abc, role: workspace_user }
  - { workspace: Tags, user_id: user_01NotSeededNotSeededNo, role: workspace_user }
  - { email: a@acme.com, role: workspace_user }
  - { workspace: Gone, email: a@acme.com, role: workspace_user }
  - { workspace: Gone, email: A@acme.com, role: workspace_admin }
api_keys:
  - { name: "", created_by: nobody@acme.com }
  - { name: k, workspace: Gone, status: active }
  - { name: k2, status: revoked, id: apikey_01x, created_at: later }
  - { name: k3, id: apikey_01x, created_by_user_id: someone }
  - { name: k4, workspace: Dup, extra: 1 }
`);
    const paths = problems.map((p) => p.split(': ')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'workspaces[0].name',
        'workspaces[1].id',
        'workspaces[2].display_color',
        'workspaces[2].archived',
        'workspaces[2].colour',
        'workspaces[3].archived_at',
        'workspaces[4].tags.anthropic-team',
        'workspaces[4].tags.n',
        'workspaces[4].created_at',
        'workspaces[5].name',
        'workspaces[5].id',
        'workspace_members[0].workspace',
        'workspace_members[1].workspace',
        'workspace_members[2].email',
        'workspace_members[2].role',
        'workspace_members[3].workspace_id',
        'workspace_members[4]',
        'workspace_members[5].user_id',
        'workspace_members[6]',
        'workspace_members[8]',
        'api_keys[0].name',
        'api_keys[0].created_by',
        'api_keys[1].status',
        'api_keys[2].status',
        'api_keys[2].created_at',
        'api_keys[3].id',
        'api_keys[3].created_by_user_id',
        'api_keys[4].workspace',
        'api_keys[4].extra',
      ]),
    );
    expect(problems.find((p) => p.startsWith('workspace_members[0].workspace'))).toMatch(/workspaces\[1\], workspaces\[2\]/);
  });

  it('more than 100 active workspaces, and workspace fields in an Enterprise org, are refused', () => {
    const many = Array.from({ length: 101 }, (_, i) => `  - { name: w${i} }`).join('\n');
    expect(problemsOf(`workspaces:\n${many}`)).toEqual([expect.stringMatching(/^workspaces: 101 non-archived/)]);
    const archivedToo = Array.from({ length: 5 }, (_, i) => `  - { name: a${i}, archived: true }`).join('\n');
    const fine = Array.from({ length: 100 }, (_, i) => `  - { name: w${i} }`).join('\n');
    expect(parseSeed(`workspaces:\n${fine}\n${archivedToo}`, 's').workspaces).toHaveLength(105);
    const enterprise = problemsOf(`
organization: { kind: enterprise }
workspaces: [{ name: A }]
workspace_members: []
api_keys: [{ name: k }]
default_workspace_id: wrkspc_01abc
`);
    expect(enterprise.map((p) => p.split(':')[0]).sort()).toEqual(['api_keys', 'default_workspace_id', 'workspace_members', 'workspaces']);
  });
});
