// API keys of a Console org (§9): read and update only, the Admin API never creates one (keys come from the seed
// or the `POST /_emulator/api_keys` hook, standing for a person in the Console). Listing is newest first (§14.2
// "by creation"; the emulator's choice of direction, as for users). Indexes are partitioned by workspace and
// status, globally and per creator, so each of the three filters (§9.2) and any mix of them costs O(page).
//
// The store holds no key material: only the partial hint the API itself shows (`sk-ant-api03-R2D...igAA`, §9.1).

import { randomBytes } from 'node:crypto';
import type { IdPage } from '../../../clients/wire.js';
import { newId } from '../../ids.js';
import { cursorKey, readPage, toIdPage } from '../../pagination.js';
import { PartitionedIndex, compareKeys } from '../../sorted-index.js';
import type { MemberLookup } from '../users/records.js';
import type { WorkspaceStore } from '../workspaces/store.js';
import type { ApiKeyListQuery, ApiKeyPrincipal, ApiKeyRecord, ApiKeyStatus, NewApiKey } from './records.js';
import { renderApiKey, type LegacyApiKey } from './render.js';
import type { SeedApiKey } from './seed.js';

/**
 * What the key store reads of the organization: its clock, its members, its workspaces and (for a seeded key's
 * `principal`) its service accounts by name. EmulatorStore is one.
 */
export interface ApiKeyHost extends MemberLookup {
  readonly workspaces: Pick<WorkspaceStore, 'seededNamed' | 'workspace' | 'defaultWorkspace'>;
  readonly serviceAccounts: { byName(name: string): { id: string } | undefined };
}

const SEP = '\u0001';
const HINT_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function randomChars(n: number): string {
  return [...randomBytes(n)].map((b) => HINT_CHARS[b % 64]).join('');
}

/** §9.1/§2.2: a standard key's hint, e.g. `sk-ant-api03-R2D...igAA` (first 3 and last 4 characters of the secret). */
export function newPartialKeyHint(): string {
  return `sk-ant-api03-${randomChars(3)}...${randomChars(4)}`;
}

function slot(k: ApiKeyRecord): string {
  return `${k.workspaceId ?? ''}${SEP}${k.status}`;
}

export class ApiKeyStore {
  private keys = new Map<string, ApiKeyRecord>();
  private all = new PartitionedIndex();
  private byCreator = new Map<string, PartitionedIndex>();
  private seq = 0;

  constructor(private readonly host: ApiKeyHost) {}

  /** Replaces every key with the seed's; workspaces and users must be loaded first. */
  load(seed: { api_keys?: readonly SeedApiKey[] }, now: number): void {
    this.keys.clear();
    this.byCreator.clear();
    this.seq = 0;
    const seeded = seed.api_keys ?? [];
    const workspaces = this.host.workspaces;
    seeded.forEach((k, i) => {
      const workspaceId = k.organization_scope
        ? null
        : k.workspace !== undefined
          ? workspaces.seededNamed(k.workspace)?.id
          : (k.workspace_id ?? workspaces.defaultWorkspace.id);
      if (workspaceId !== null && (!workspaceId || !workspaces.workspace(workspaceId))) {
        throw new Error(`seed key ${k.name}: unknown workspace`);
      }
      const creator = k.created_by !== undefined ? this.host.userByEmail(k.created_by)?.id : k.created_by_user_id;
      const principalUser = k.principal_user !== undefined ? this.host.userByEmail(k.principal_user)?.id : undefined;
      const principalSa =
        k.principal_service_account !== undefined
          ? this.host.serviceAccounts.byName(k.principal_service_account)?.id
          : k.principal_service_account_id;
      const principal: ApiKeyPrincipal | null =
        principalUser !== undefined
          ? { type: 'user_actor', user_id: principalUser }
          : principalSa !== undefined
            ? { type: 'service_account_actor', service_account_id: principalSa }
            : null;
      this.materialize({
        name: k.name,
        createdBy: creator ?? null,
        workspaceId,
        principal,
        status: k.status ?? 'active',
        id: k.id,
        partialKeyHint: k.partial_key_hint,
        createdAt: k.created_at ?? new Date(now - (seeded.length - 1 - i) * 1000).toISOString(),
      });
    });
    this.all.load([...this.keys.values()].map((k) => ({ part: slot(k), entry: k })));
    const perCreator = new Map<string, ApiKeyRecord[]>();
    for (const k of this.keys.values()) {
      if (k.createdBy === null) continue;
      const list = perCreator.get(k.createdBy);
      if (list) list.push(k);
      else perCreator.set(k.createdBy, [k]);
    }
    for (const [creator, list] of perCreator) {
      const index = new PartitionedIndex();
      index.load(list.map((k) => ({ part: slot(k), entry: k })));
      this.byCreator.set(creator, index);
    }
  }

  apiKey(id: string): ApiKeyRecord | undefined {
    return this.keys.get(id);
  }

  /** Whether some key names this user as its creator (a departed member's id is still a valid filter, §5.5). */
  hasCreator(userId: string): boolean {
    return this.byCreator.has(userId);
  }

  addApiKey(input: NewApiKey): ApiKeyRecord {
    const k = this.materialize({ ...input, createdAt: input.createdAt ?? this.host.clock.nowIso() });
    this.all.insert(slot(k), k);
    if (k.createdBy !== null) this.creatorIndex(k.createdBy).insert(slot(k), k);
    return k;
  }

  update(id: string, changes: { name?: string; status?: ApiKeyStatus }): ApiKeyRecord {
    const k = this.keys.get(id);
    if (!k) throw new Error(`no api key ${id}`);
    if (changes.name !== undefined) k.name = changes.name;
    if (changes.status !== undefined && changes.status !== k.status) {
      this.all.remove(slot(k), k);
      if (k.createdBy !== null) this.creatorIndex(k.createdBy).remove(slot(k), k);
      k.status = changes.status;
      this.all.insert(slot(k), k);
      if (k.createdBy !== null) this.creatorIndex(k.createdBy).insert(slot(k), k);
    }
    return k;
  }

  /** Keys of a workspace with this status, newest first. */
  keysIn(workspaceId: string, status: ApiKeyStatus): ApiKeyRecord[] {
    const wanted = `${workspaceId}${SEP}${status}`;
    return this.all
      .select((part) => part === wanted)
      .flatMap((index) => index.ids())
      .map((id) => this.keys.get(id)!);
  }

  /** One page of key records; the route renders them for the request's version. */
  list(q: ApiKeyListQuery): IdPage<ApiKeyRecord> {
    const c = q.page.cursor;
    const cursor = c && { key: cursorKey(c.id, this.keys.get(c.id)?.key, c.direction), direction: c.direction };
    const wanted = (part: string): boolean => {
      const [ws, status] = part.split(SEP) as [string, string];
      return (q.workspaceId === undefined || ws === q.workspaceId) && (q.status === undefined || status === q.status);
    };
    const source = q.createdBy !== undefined ? this.byCreator.get(q.createdBy) : this.all;
    const sources = source ? source.select(wanted) : [];
    const { ids, hasMore } = readPage(sources, q.page.limit, cursor);
    return toIdPage(ids.map((id) => this.keys.get(id)!), hasMore);
  }

  /** The legacy shape, for the state snapshot and control hooks (API answers go through render.ts). */
  toWire(k: ApiKeyRecord): LegacyApiKey {
    return renderApiKey(k, this.host.workspaces.defaultWorkspace.id, 'legacy') as LegacyApiKey;
  }

  snapshot(): Record<string, unknown> {
    return {
      api_keys: [...this.keys.values()].sort((a, b) => compareKeys(a.key, b.key)).map((k) => this.toWire(k)),
    };
  }

  private creatorIndex(userId: string): PartitionedIndex {
    let index = this.byCreator.get(userId);
    if (!index) {
      index = new PartitionedIndex();
      this.byCreator.set(userId, index);
    }
    return index;
  }

  private materialize(input: NewApiKey & { createdAt: string }): ApiKeyRecord {
    const id = input.id ?? newId('apikey', (candidate) => this.keys.has(candidate));
    if (this.keys.has(id)) throw new Error(`duplicate api key id ${id}`);
    const k: ApiKeyRecord = {
      id,
      name: input.name,
      createdAt: input.createdAt,
      createdBy: input.createdBy ?? null,
      workspaceId: input.workspaceId === undefined ? this.host.workspaces.defaultWorkspace.id : input.workspaceId,
      principal: input.principal ?? null,
      status: input.status ?? 'active',
      partialKeyHint: input.partialKeyHint ?? newPartialKeyHint(),
      key: { ms: Date.parse(input.createdAt), seq: ++this.seq },
    };
    this.keys.set(k.id, k);
    return k;
  }
}
