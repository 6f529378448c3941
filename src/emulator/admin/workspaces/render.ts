// Workspaces (§7.2) and workspace members (§8.2) as served, for the request's version (see emulator/render.ts).

import type { WireWorkspace, WireWorkspaceMember } from '../../../clients/wire.js';
import type { ShapeVersion } from '../../api-version.js';
import type { WorkspaceRecord } from './records.js';

/** A workspace as versions before 2026-10-21 serve it: every field of §7.2, each present, without the newest. */
export type LegacyWorkspace = Required<Omit<WireWorkspace, 'user_profile_id'>>;
export type SdkWorkspace = LegacyWorkspace & { user_profile_id: string | null };

export function renderWorkspace(ws: WorkspaceRecord, v: ShapeVersion): LegacyWorkspace | SdkWorkspace {
  const dr = ws.dataResidency;
  const legacy: LegacyWorkspace = {
    type: 'workspace',
    id: ws.id,
    name: ws.name,
    display_color: ws.displayColor,
    created_at: ws.createdAt,
    archived_at: ws.archivedAt,
    data_residency: {
      allowed_inference_geos: Array.isArray(dr.allowed_inference_geos) ? [...dr.allowed_inference_geos] : dr.allowed_inference_geos,
      default_inference_geo: dr.default_inference_geo,
      workspace_geo: dr.workspace_geo,
    },
    compartment_id: ws.compartmentId,
    external_key_id: ws.externalKeyId,
    tags: { ...ws.tags },
  };
  return v === '2026-10-21' ? { ...legacy, user_profile_id: ws.userProfileId } : legacy;
}

/** A workspace member as served (§8.2): the same in both versions. */
export function memberToWire(workspaceId: string, userId: string, role: string): WireWorkspaceMember {
  return { type: 'workspace_member', user_id: userId, workspace_id: workspaceId, workspace_role: role };
}
