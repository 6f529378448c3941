// The saved-plan check (issues 5 and 12): before `apply PLANFILE` runs, the live collections the plan touches are
// listed again (whole listings, never one GET per object) and each API change of the plan is judged:
//
// - `ready`: the world is as the plan saw it (the touched object has the fingerprint the planner took; for a
//   create, nothing with that identity has appeared since);
// - `done`: what the change would do is already so (the object the create would make exists with the planned
//   attributes, the role already is the planned one, the object to delete is gone) — an earlier apply of this plan,
//   or a person, got there first; the change is skipped, never repeated;
// - `stale`: anything else (the object changed, is gone, or an object with the identity a create would take exists
//   in another shape): the whole apply is refused.
//
// Creates are judged too: a replayed `+ workspace["Sandbox2"]` or a workspace made by hand meanwhile would otherwise
// be created a second time (names are not unique in the API). How each kind is judged is its `judge` in
// live/kinds.ts; this file names no kind. What no listing can show — an invite sent and then
// withdrawn, which the API no longer lists — is caught by the journal of applied plans (cli/journal.ts).

import { isApiAction, type Plan } from '../model/plan.js';
import { liveKind, type LiveSources } from './kinds.js';
import { LiveReader } from './read.js';
import { Snapshot } from './verdict.js';

export interface StaleObject {
  address: string;
  /** the live id the change names, or `new` for a create */
  id: string;
  why: string;
}

export interface DoneObject {
  address: string;
  why: string;
  /** for a create: the id of the object that already exists (its dependents use it) */
  id?: string;
}

export interface SavedPlanCheck {
  stale: StaleObject[];
  done: DoneObject[];
}

export interface StaleSources extends LiveSources {
  /** the clock: a pending invite whose `expires_at` has passed is expired, as the planner counts it */
  now?: Date;
}

/**
 * Lists what the plan touches and judges every API change: stale ones make the apply refuse; done ones are
 * skipped (their ids are handed to the changes that depend on them).
 */
export async function checkSavedPlan(plan: Plan, src: StaleSources): Promise<SavedPlanCheck> {
  const snap = new Snapshot(await new LiveReader(src).read({ touched: plan }), src.now);
  const made = new Map<string, string>();
  const out: SavedPlanCheck = { stale: [], done: [] };
  const judged = plan.changes.filter((c) => isApiAction(c.action));
  // In plan order: a create judged done gives its id to the memberships judged after it.
  for (const c of judged) {
    const v = await liveKind(c.kind).judge(c, snap, made);
    if (v.state === 'stale') out.stale.push({ address: c.address, id: c.id ?? 'new', why: v.why });
    else if (v.state === 'done') {
      out.done.push(v.id === undefined ? { address: c.address, why: v.why } : { address: c.address, why: v.why, id: v.id });
      if (v.id !== undefined) made.set(c.address, v.id);
    }
  }
  return out;
}
