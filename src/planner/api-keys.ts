// API-key offboarding (console orgs; §9): API keys outlive the member who created them (§5.5). When the plan removes
// a member, each active key they created is reported, or deactivated before the removal, per
// policy.api_keys_of_removed_members. Keys are never archived by the tool: deactivation can be undone.

import { address } from '../model/address.js';
import type { Change } from '../model/plan.js';
import { change, diag } from './changes.js';
import type { PlanContext } from './context.js';
import { PHASE } from './phases.js';

/** Ids of the members this plan removes through the Admin API: their keys must be read before planning them. */
export function removedUserIds(changes: readonly Change[]): string[] {
  return changes.filter((c) => c.kind === 'member' && c.action === 'delete' && c.id).map((c) => c.id!);
}

/** The changes before this differ: members removed, service accounts archived (their keys act for nobody then). */
export function planApiKeys(ctx: PlanContext, earlier: readonly Change[]): Change[] {
  const keys = ctx.live.apiKeys;
  if (!keys || ctx.desired.organization.kind !== 'console') return [];
  const removed = new Map(earlier.filter((c) => c.kind === 'member' && c.action === 'delete' && c.id).map((c) => [c.id!, c]));
  const archived = new Map(earlier.filter((c) => c.kind === 'service_account' && c.action === 'delete' && c.id).map((c) => [c.id!, c]));
  const workspaceName = new Map((ctx.live.workspaces ?? []).map((w) => [w.id, w.name]));
  const out: Change[] = [];
  for (const k of keys) {
    if (k.status !== 'active') continue;
    // a key that acts for an archived service account first; else one created by a removed member
    const account = k.serviceAccountId ? archived.get(k.serviceAccountId) : undefined;
    const removal = account ?? (k.createdByUserId ? removed.get(k.createdByUserId) : undefined);
    if (!removal) continue;
    const email = account ? `service account ${account.key}` : removal.key;
    const whose = account ? `acts for ${email}, which is archived` : `was created by ${email} and stays active after they are removed`;
    // 2026-10-21 gives the Default Workspace's real id, which the workspace listing (every other workspace,
    // archived ones included) never names: when the workspaces were read, an id they do not name is the Default
    // Workspace's; when they were not, the id is all there is. An organization-scoped key has no workspace.
    const where = k.workspaceId
      ? workspaceName.get(k.workspaceId) ?? (ctx.live.workspaces ? `Default (${k.workspaceId})` : k.workspaceId)
      : k.scope === 'organization' ? 'none (organization-scoped)' : 'Default';
    // Never the key's partial hint (`sk-ant-api03-R2D...igAA`): it is a piece of the key, and plans are posted in
    // pull requests. The id, the name and the workspace find it in the console.
    const label = `API key "${k.name}" (${k.id}, workspace ${where})`;
    if (ctx.desired.policy.apiKeysOfRemovedMembers === 'report') {
      ctx.diagnostics.push(diag('warning', account ? 'api_key_of_archived_service_account' : 'api_key_of_removed_member',
        `${label} ${whose}; set ` +
        'policy.api_keys_of_removed_members: deactivate to deactivate it, or review it in the console',
        { address: address('api_key', k.id), line: removal.line }));
      continue;
    }
    out.push(change({
      kind: 'api_key', key: k.id, action: 'update', phase: PHASE.apiKeys, id: k.id, line: removal.line,
      reason: account
        ? `acts for ${email}, which is archived: deactivate ${label} (reversible; never archived)`
        : `created by ${email}, who is removed: deactivate ${label} (reversible; never archived)`,
      before: { name: k.name, status: k.status, workspace: where, created_by: email },
      after: { name: k.name, status: 'inactive', workspace: where, created_by: email },
      touches: k,
    }));
  }
  return out;
}
