// LeftOut matches what the planner said against each draft entry's `key` (the key its differ gives the change), never
// against a field it guesses (issue 16): a section whose entries are keyed by something other than a `name` — an
// email, say — has its changed declarations left out like any other.

import { describe, expect, it } from 'vitest';
import { LeftOut, type ImportSelection } from '../../src/import/select.js';
import type { Plan } from '../../src/model/plan.js';
import { IMPORTER } from '../../src/planner/index.js';
import { address } from '../../src/model/address.js';
import { barePlan, looseChange } from '../builders.js';

const empty = { notes: [], unread: [], skipped: 0 };

const change = (key: string, reason: string) => looseChange({
  kind: 'workspace', key, address: address('workspace', key), action: 'update', reason, phase: 20, removal: false, depends_on: [], before: null, after: null,
});

function selection(entries: Array<{ key: string; item: object }>): ImportSelection {
  return {
    members: { ...empty, entries: [] },
    workspaces: { ...empty, entries: entries.map((e) => ({ ...e, notes: [] })) as never },
    service_accounts: { ...empty },
    groups: { ...empty },
    scim: { ...empty },
  };
}

describe('LeftOut', () => {
  it('records a changed container by the key its draft entry carries', () => {
    const left = new LeftOut(IMPORTER.declaredBy);
    const sel = selection([{ key: 'Research', item: { name: 'Research', archived: false } }]);
    const p = barePlan([change('Research', 'colour')]) as Plan;
    expect(left.record(p, sel)).toBe(true);
    expect(left.container('workspace', 'Research')).toContain('update workspace["Research"]');
  });

  it('a section keyed by email (its items have no `name`) is matched by the key too', () => {
    // entries keyed by a person's email, as a per-member setting's section would be
    const left = new LeftOut(IMPORTER.declaredBy);
    const sel = selection([{ key: 'Ann@acme.com', item: { email: 'Ann@acme.com', usd: 200 } }]);
    const p = barePlan([change('Ann@acme.com', 'limit')]) as Plan;
    expect(left.record(p, sel)).toBe(true);
    expect(left.container('workspace', 'Ann@acme.com')).toBeDefined();
    // recording the same plan again adds nothing: drafting ends
    expect(left.record(p, sel)).toBe(false);
  });
});
