// The contract's complete example (desired-state.md), split into its console and enterprise halves so each is
// valid, loads from disk and normalizes to exactly this Desired.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDesiredFile, parseDesired } from '../../src/config/load.js';
import type { Desired } from '../../src/model/desired.js';
import { dump } from './helpers.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/config/${name}`, import.meta.url));

describe('complete example', () => {
  it('console half loads and normalizes', async () => {
    const path = fixture('console-complete.yaml');
    const r = await loadDesiredFile(path);
    expect(r.diagnostics, dump(r.diagnostics)).toEqual([]);
    const at = (line: number, column: number) => ({ file: path, line, column });
    const expected: Desired = {
      file: path,
      sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
      version: 1,
      organization: {
        id: '8f4c1a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b',
        kind: 'console',
        provisioning: 'invite',
        credentials: {
          adminKeyEnv: 'ANTHROPIC_ADMIN_KEY',
          scimUrlEnv: 'CLAUDE_SCIM_URL',
          scimTokenEnv: 'CLAUDE_SCIM_TOKEN',
          baseUrlEnv: 'ANTHROPIC_BASE_URL',
          oauthTokenEnv: 'ANTHROPIC_ADMIN_OAUTH_TOKEN',
        },
        pos: at(5, 1),
      },
      policy: {
        removals: 'declared',
        maxRemovals: 10,
        protected: ['owner@acme.com', '*@founders.acme.com'],
        unmanaged: ['*@contractors.acme.com'],
        apiKeysOfRemovedMembers: 'report',
        maxRemovalShare: 0.5,
        undeclared: 'drift',
        maxReinvites: 3,
        signOutOnRemoval: false,
        emailDomains: ['acme.com', 'founders.acme.com', 'contractors.acme.com'],
      },
      members: [
        { email: 'alice@acme.com', key: 'alice@acme.com', role: 'developer', pos: at(17, 3) },
        { email: 'bob@acme.com', key: 'bob@acme.com', role: 'user', name: 'Bob Stone', pos: at(18, 3) },
        { email: 'carol@acme.com', key: 'carol@acme.com', role: 'claude_code_user', expires: '2027-03-31', pos: at(21, 3) },
      ],
      departed: [
        { email: 'dave@acme.com', key: 'dave@acme.com', date: '2026-11-01', reason: 'left the company', pos: at(26, 3) },
        { email: 'erin@acme.com', key: 'erin@acme.com', date: '2027-01-15', reason: 'contract ends', pos: at(27, 3) },
      ],
      workspaces: [
        {
          name: 'Research',
          displayColor: '#6C5BB9',
          archived: false,
          members: [
            { email: 'alice@acme.com', key: 'alice@acme.com', role: 'workspace_developer', pos: at(32, 7) },
            { email: 'bob@acme.com', key: 'bob@acme.com', role: 'workspace_user', pos: at(33, 7) },
          ],
          pos: at(29, 3),
        },
        { name: 'Old Project', archived: true, pos: at(34, 3) },
      ],
      groups: [],
      scim: { deprovision: 'deactivate', groups: [] },
      serviceAccounts: [],
    };
    expect(r.desired).toEqual(expected);
  });

  it('enterprise half loads and normalizes (credentials, case, empty entries, file order)', async () => {
    const path = fixture('enterprise-complete.yaml');
    const r = await loadDesiredFile(path);
    expect(r.diagnostics, dump(r.diagnostics)).toEqual([]);
    const at = (line: number, column: number) => ({ file: path, line, column });
    const expected: Desired = {
      file: path,
      sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
      version: 1,
      organization: {
        id: '0b5e8a1c-2d3f-4a6b-8c9d-0e1f2a3b4c5d',
        kind: 'enterprise',
        provisioning: 'scim',
        credentials: {
          adminKeyEnv: 'ACME_ADMIN_KEY',
          scimUrlEnv: 'ACME_SCIM_URL',
          scimTokenEnv: 'ACME_SCIM_TOKEN',
          baseUrlEnv: 'ANTHROPIC_BASE_URL',
          oauthTokenEnv: 'ANTHROPIC_ADMIN_OAUTH_TOKEN',
        },
        pos: at(5, 1),
      },
      policy: {
        removals: 'prune',
        maxRemovals: 0,
        protected: ['owner@acme.com'],
        unmanaged: [],
        apiKeysOfRemovedMembers: 'deactivate',
        maxRemovalShare: 0.5,
        undeclared: 'drift',
        maxReinvites: 3,
        signOutOnRemoval: false,
      },
      members: [
        { email: 'Alice@Acme.com', key: 'alice@acme.com', role: 'managed', pos: at(21, 3) },
        { email: 'bob@acme.com', key: 'bob@acme.com', role: 'user', name: 'Bob Stone', pos: at(22, 3) },
        { email: 'owner@acme.com', key: 'owner@acme.com', role: 'primary_owner', pos: at(25, 3) },
      ],
      departed: [{ email: 'dave@acme.com', key: 'dave@acme.com', pos: at(28, 3) }],
      workspaces: [],
      groups: [
        {
          name: 'Platform',
          delete: false,
          members: [{ email: 'alice@acme.com', key: 'alice@acme.com', pos: at(32, 15) }],
          pos: at(31, 3),
        },
        { name: 'Legacy', delete: true, pos: at(33, 3) },
        // an integer-like name stays in file order (a plain object would move it first)
        { name: '2024', renamedFrom: 'Interns', delete: false, pos: at(35, 3) },
      ],
      scim: {
        deprovision: 'delete',
        groups: [
          {
            name: 'Engineering',
            externalId: 'eng',
            delete: false,
            members: [
              { email: 'alice@acme.com', key: 'alice@acme.com', pos: at(43, 17) },
              { email: 'bob@acme.com', key: 'bob@acme.com', pos: at(43, 33) },
            ],
            pos: at(41, 5),
          },
        ],
      },
      serviceAccounts: [],
    };
    expect(r.desired).toEqual(expected);
  });

  it('the contract example verbatim mixes both kinds, and says so at the right lines', () => {
    const text = readFileSync(fixture('console-complete.yaml'), 'utf8') +
      '\ngroups:\n  Platform:\n    members: [alice@acme.com]\n\nscim:\n  deprovision: deactivate\n';
    const r = parseDesired(text, 'mixed.yaml');
    expect(r.desired).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['not_for_kind', 37],
      ['not_for_kind', 41],
    ]);
  });

  it('sha256 is over the exact bytes, and parseDesired hashes the UTF-8 text the same way', async () => {
    const path = fixture('console-complete.yaml');
    const fromFile = await loadDesiredFile(path);
    const fromText = parseDesired(readFileSync(path, 'utf8'), path);
    expect(fromFile.desired?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fromText.desired?.sha256).toBe(fromFile.desired?.sha256);
  });
});
