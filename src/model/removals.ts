// Which changes take access away, derived from the changes alone (kind, action, before, after): the planner sets
// each change's `removal` flag from here, and `apply PLANFILE` recounts a saved plan's removals from here rather
// than trusting a flag or a `blocked` field that anyone can edit (issue 12 item 3).

import { assertNever, emailKey } from './address.js';
import type { Change, RemovalGuard } from './plan.js';
import { isApiAction } from './plan.js';
import { REMOVAL_RULES, type RemovalRule, type ResourceKind } from './kinds.js';

export { isWorkspaceDemotion, WORKSPACE_RANK } from './roles.js';

/** The removal rule of the change's kind (model/kinds.ts `REMOVAL_RULES`); undefined for a kind the model does not know. */
function ruleOf(c: Change): RemovalRule<ResourceKind> | undefined {
  if (!Object.hasOwn(REMOVAL_RULES, c.kind)) return undefined;
  // TypeScript cannot relate `REMOVAL_RULES[c.kind]` to `c` itself; the table's type says each entry takes its own kind
  return REMOVAL_RULES[c.kind] as RemovalRule<ResourceKind>;
}

/**
 * The email key of the person whose access to the organization this change ends, if it ends someone's: a member
 * removed, a pending invite withdrawn, a SCIM user deleted or deactivated. Only a change that calls an API can.
 */
export function personLeaving(c: Change): string | undefined {
  const email = isApiAction(c.action) ? ruleOf(c)?.leaves?.(c) : undefined;
  return email === undefined ? undefined : emailKey(email);
}

/** Everyone a list of changes removes from the organization, by email key. */
export function peopleLeaving(changes: readonly Change[]): Set<string> {
  const out = new Set<string>();
  for (const c of changes) {
    const who = personLeaving(c);
    if (who !== undefined) out.add(who);
  }
  return out;
}

/**
 * True when the change takes access away and so counts against `policy.max_removals` (contract "removals"), as
 * model/kinds.ts `REMOVAL_RULES` says for its kind; a change that calls no API never does.
 */
export function isRemoval(c: Change, leaving: ReadonlySet<string>): boolean {
  if (!isApiAction(c.action)) return false;
  const rule = ruleOf(c);
  if (rule === undefined) return assertNever(c as never, 'change');
  return rule.removes(c, (email) => leaving.has(emailKey(email)));
}

/** The addresses of every change that counts as a removal, in plan order. */
export function removalAddresses(changes: readonly Change[]): string[] {
  const leaving = peopleLeaving(changes);
  return changes.filter((c) => isRemoval(c, leaving)).map((c) => c.address);
}

/** How many people the organization had when the plan was made, for the mass-removal guard. */
export interface Population {
  /** members, pending invites and (with a directory) active SCIM users, one per person */
  total: number;
  /** of them, those the tool could remove: not holding a keep-only role, not protected, not unmanaged */
  removable: number;
}

/** Default `policy.max_removal_share`: a plan that removes more than half of the people is blocked on its own. */
export const DEFAULT_MAX_REMOVAL_SHARE = 0.5;

/**
 * The mass-removal rule (contract "removals"; peribolos' `--maximum-removal-delta`): a plan that removes at least
 * two people and either everyone the tool could remove (an emptied `members:` under prune) or more than
 * `maxShare` of all people is a mass removal, blocked unless explicitly allowed. One person leaving a two-person
 * organization is not.
 */
export function isMassRemoval(leaving: number, population: Population, maxShare: number): boolean {
  if (leaving < 2) return false;
  return leaving >= population.removable || leaving > maxShare * population.total;
}

/** The guard a plan carries, computed from its changes and the limits in force. */
export function computeGuard(
  changes: readonly Change[],
  opts: { limit: number; overridden: boolean; population: Population; maxShare: number; massAllowed: boolean },
): RemovalGuard {
  const addresses = removalAddresses(changes);
  const leaving = peopleLeaving(changes).size;
  return {
    count: addresses.length,
    limit: opts.limit,
    overridden: opts.overridden,
    addresses,
    people: { leaving, total: opts.population.total, removable: opts.population.removable },
    max_share: opts.maxShare,
    mass: isMassRemoval(leaving, opts.population, opts.maxShare),
    mass_allowed: opts.massAllowed,
  };
}

/** Blocked by a guard: more removals than the limit, or a mass removal that was not explicitly allowed. */
export function guardBlocks(g: RemovalGuard): boolean {
  return g.count > g.limit || (g.mass && !g.mass_allowed);
}

/** Why the guard blocks, for people; undefined when it does not. */
export function blockedReason(g: RemovalGuard): string | undefined {
  const reasons: string[] = [];
  if (g.mass && !g.mass_allowed) {
    const { leaving, total, removable } = g.people;
    const share = total > 0 ? Math.round((leaving / total) * 100) : 100;
    const what = leaving >= removable
      ? `every one of the ${removable} people the tool could remove`
      : `${share} % of the organization's ${total} people, over policy.max_removal_share ${Math.round(g.max_share * 100)} %`;
    reasons.push(
      `the plan removes ${leaving} people: ${what}. A mass removal is blocked whatever policy.max_removals says ` +
        '(an emptied or mistyped members list must never empty the organization); if it is intended, review every ' +
        'removal listed and run again with --allow-mass-removal',
    );
  }
  if (g.count > g.limit) {
    reasons.push(
      `the plan makes ${g.count} removals, over the limit of ${g.limit}` +
        `${g.overridden ? ' (--allow-removals)' : ' (policy.max_removals)'}; review every removal listed and, ` +
        `if they are intended, run again with --allow-removals ${g.count}`,
    );
  }
  return reasons.length > 0 ? reasons.join('; and ') : undefined;
}
