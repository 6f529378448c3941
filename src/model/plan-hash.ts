// plan_hash: what a reviewer approves. It covers everything in a plan that changes what `apply` does or where it
// connects — the organization, the names of the credential variables (an edited `base_url_env` would send the key
// elsewhere), every field of a change that the executor, the stale check or the write recovery reads, the removal
// guard's limits and outcome, whether the plan has errors, and who keeps access after it — and nothing that only explains (reasons, lines,
// the organization's display name, the desired file's path). Two plans with the same hash make the same calls
// from the same state under the same guards.
//
// A hash is not a signature: whoever can edit a saved plan can recompute it. It catches edits made without
// recomputing it, and `--expect-plan-hash H` pins a plan to the hash a reviewer saw, whatever travelled in between.

import { canonicalJson, sha256 } from './fingerprint.js';
import type { Change, Plan } from './plan.js';

export type HashedPlan = Pick<Plan, 'organization' | 'changes' | 'removals' | 'diagnostics' | 'access_remains'>;

function hashedChange(c: Change): Record<string, unknown> {
  return {
    address: c.address,
    kind: c.kind,
    key: c.key,
    action: c.action,
    id: c.id,
    before: c.before,
    after: c.after,
    depends_on: c.depends_on,
    phase: c.phase,
    removal: c.removal,
    fingerprint: c.fingerprint,
    known_ids: c.known_ids,
  };
}

export function planHash(p: HashedPlan): string {
  const o = p.organization;
  const r = p.removals;
  return sha256(
    canonicalJson({
      organization: { id: o.id, kind: o.kind, provisioning: o.provisioning, credentials: o.credentials },
      changes: p.changes.map(hashedChange),
      guard: { limit: r.limit, overridden: r.overridden, max_share: r.max_share, mass: r.mass, mass_allowed: r.mass_allowed },
      errors: p.diagnostics.filter((d) => d.severity === 'error').length,
      // apply's exit code depends on it: an offboarding that cannot be completed fails the run
      access_remains: p.access_remains.map((a) => a.address),
    }),
  );
}
