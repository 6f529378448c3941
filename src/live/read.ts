// The one live reader (issue 16, item 3). Every read of the live API goes through here, with a scope:
//
// - `{ managed: desired }`: what a plan of that file is made from (cli plan, apply without a saved plan);
// - `{ touched: plan }`: what the changes of a saved plan are judged against (live/stale.ts);
// - `{ everything: true }`: all an organization holds, for `import` (import/read.ts).
//
// One set of listings (live/listings.ts), each read at most once per reader (memoized), serves the three, and one
// table (LIVE_KINDS in live/kinds.ts, one entry per resource kind, checked with `satisfies`) says, per kind and
// scope, which listings it needs: a kind added to model/kinds.ts fails to compile until it says how it is read.
// Nothing here names a kind.
//
// Habits kept from the three readers this replaces: fail closed (any error is thrown, never turned into an empty
// listing; a 403 on a scoped part makes that part `Unreadable`, with why); the organization pin is checked before
// anything else is read (a plan; import when given the id; a saved plan's apply checks it before its check); independent
// listings are read concurrently (the client paces them to the rate limit).

import type { WireOrganization } from '../clients/wire.js';
import { OrganizationMismatchError } from '../errors.js';
import type { Desired, OrgKind } from '../model/desired.js';
import type { ResourceKind } from '../model/kinds.js';
import type { Live, LiveApiKey } from '../model/live.js';
import { isApiAction, type Plan } from '../model/plan.js';
import { LIVE_KINDS, listing, liveKind, type AdminReader, type LiveListings, type LiveSources } from './kinds.js';
import { Listings, refusedAsOtherKind, type Part } from './listings.js';

export { needsScim, type AdminReader, type LiveSources, type ScimReader } from './kinds.js';

const KINDS = Object.keys(LIVE_KINDS) as ResourceKind[];

/**
 * The parts every kind read, merged into one Live (a field no kind read stays absent). Members and invites are read
 * in every scope that makes a Live: a table that forgot them would plan against nobody, so it fails here instead.
 */
async function gather(organization: WireOrganization, parts: Part[]): Promise<Live> {
  const read: Partial<Live> = {};
  for (const p of await Promise.all(parts)) if (p) Object.assign(read, p);
  const { users, invites } = read;
  if (!users || !invites) throw new Error('live reader: the members and invites were not read');
  return { organization: { id: organization.id, name: organization.name }, ...read, users, invites };
}

export type LiveScope =
  | { managed: Desired }
  | { touched: Plan }
  | { everything: true; /** undefined: detect it */ kind?: OrgKind | undefined; /** the org pin, when given */ expectOrgId?: string | undefined };

/** What an `everything` read found: the live state, and the org kind (given, or detected). */
export interface EverythingRead {
  live: Live;
  kind: OrgKind;
}

/**
 * The org kind is in no response (§4.1 `/me` has only id, type, name). Detected from the console-only workspaces
 * listing: an answer means console, 404/403 means enterprise (the real API's status is undocumented, §16); any other
 * failure is thrown. The listing is memoized: the console read uses the answer of the probe.
 */
async function detectKind(l: LiveListings): Promise<OrgKind> {
  try {
    await listing.workspaces(l);
    return 'console';
  } catch (err) {
    if (refusedAsOtherKind(err)) return 'enterprise';
    throw err;
  }
}

/** A reader's listings, and the one a caller reads after a plan: the active API keys (offboarding, issue 3). */
export class ReaderListings extends Listings<LiveSources> {
  activeApiKeys(): Promise<LiveApiKey[]> {
    return listing.activeApiKeys(this);
  }
}

/** One reader over one set of listings: each is read at most once, whatever scopes are asked of it. */
export class LiveReader {
  readonly listings: ReaderListings;
  constructor(sources: LiveSources) {
    this.listings = new ReaderListings(sources);
  }

  /** The live state a plan of this file is made from; the org pin is checked before anything else is read. */
  async read(scope: { managed: Desired }): Promise<Live>;
  /** Everything the org holds, for import; with `expectOrgId`, nothing else is read unless the key is that org's. */
  async read(scope: { everything: true; kind?: OrgKind | undefined; expectOrgId?: string | undefined }): Promise<EverythingRead>;
  /** Starts the listings the API changes of a saved plan are judged against (judging awaits them). */
  async read(scope: { touched: Plan }): Promise<ReaderListings>;
  async read(scope: LiveScope): Promise<Live | EverythingRead | ReaderListings> {
    const l = this.listings;
    if ('touched' in scope) {
      for (const c of scope.touched.changes) if (isApiAction(c.action)) liveKind(c.kind).touched(c, l);
      return l;
    }
    const org = await l.once('me', () => l.src.admin.getOrganization(l.opts));
    if ('managed' in scope) {
      if (org.id !== scope.managed.organization.id) throw new OrganizationMismatchError(scope.managed.organization.id, org.id, org.name);
      return gather(org, KINDS.map((k) => liveKind(k).managed(scope.managed, l)));
    }
    if (scope.expectOrgId !== undefined && org.id !== scope.expectOrgId) throw new OrganizationMismatchError(scope.expectOrgId, org.id, org.name);
    // With the kind given, the reads of that kind start at once; when detecting, only after the probe answered.
    const kind = scope.kind !== undefined ? Promise.resolve(scope.kind) : detectKind(l);
    kind.catch(() => undefined);
    const live = await gather(org, KINDS.map((k) => liveKind(k).everything(l, kind)));
    return { live, kind: await kind };
  }
}

/** The live state a plan of this file reads (one reader, one scope; the benchmark's plan child calls it). */
export function readLive(desired: Desired, sources: LiveSources): Promise<Live> {
  return new LiveReader(sources).read({ managed: desired });
}

/** Active API keys, read only when a plan removes someone from a console org (offboarding, issue 3). */
export function readActiveApiKeys(admin: AdminReader, signal?: AbortSignal): Promise<LiveApiKey[]> {
  return new ReaderListings({ admin, signal }).activeApiKeys();
}
