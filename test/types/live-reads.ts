// Type-level test of the live reader's per-kind table (live/kinds.ts LIVE_KINDS, issue 16 item 3). Nothing here runs:
// `npm run typecheck` compiles it, and each `@ts-expect-error` fails the compilation if the line below it stops
// being an error — that is, if a read table could leave a resource kind out, or name one model/kinds.ts lacks.

import { LIVE_KINDS as READS, type KindRead, type ReadTable } from '../../src/live/kinds.js';
import type { ResourceKind } from '../../src/model/kinds.js';

// The table has every kind.
export const whole: ReadTable = READS;

// A table without one kind is not a read table: a kind added to RESOURCE_KINDS without a way to read it fails here
// (and at LIVE_KINDS's `satisfies LiveTable`).
const { api_key: _left, ...withoutApiKey } = READS;
// @ts-expect-error Property 'api_key' is missing
export const missing: ReadTable = withoutApiKey;

// A read of one kind is not a read of another: a membership's touched-read gets that kind's change.
// @ts-expect-error a workspace_member read is not a member read
export const wrong: KindRead<'member'> = READS.workspace_member satisfies KindRead<'workspace_member'>;

// An entry for a kind model/kinds.ts does not have is refused too.
// @ts-expect-error 'robot' is not a resource kind
export const extra: ReadTable = { ...READS, robot: READS.member } satisfies Record<ResourceKind | 'robot', unknown>;
