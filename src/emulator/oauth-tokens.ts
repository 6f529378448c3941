// OAuth bearer tokens (reference §2.2: `authorization: Bearer <token>` with the `org:admin` scope, from
// `ant auth login --scope org:admin` or workload identity federation). The Admin API accepts them wherever it accepts
// an admin key, and the service-account endpoints accept nothing else (SDK 1.17 service-accounts.d.ts: "Admin API
// keys are not accepted"). The seed's `oauth_tokens` section is checked here; the store keeps each token as a digest
// beside the admin keys (store.ts), under its name, so no token is ever kept, logged or shown in clear text.
//
// Interactive or not: the SDK says creating (or setting) an `admin`-role service account "requires an interactive
// credential (a user OAuth token or a Console session) — a workload may only create `developer`-role service
// accounts". The emulator cannot tell how a token was obtained, so the seed says it: `interactive: true` is a user's
// token from `ant auth login`; the default, `false`, is a workload's token from a federation rule.

import { emailKey } from './emails.js';
import { eachMapping, seedChecks, type Bad, type Obj } from './seed-check.js';

/** The scope the Admin API requires of an OAuth token (§2.2). */
export const ORG_ADMIN_SCOPE = 'org:admin';

export interface SeedOAuthToken {
  /** The bearer token; at least 8 characters without spaces, distinct from every admin key and other token. */
  token: string;
  /** How the token shows up in logs, rate limits and `/_emulator/state`; default `oauth-token-<n>`. */
  name?: string;
  /** OAuth scopes granted; default `[org:admin]`. A token without `org:admin` is refused by every Admin API route. */
  scopes?: string[];
  /** A user's token (`ant auth login`): may create and set `admin`-role service accounts. Default false (a workload). */
  interactive?: boolean;
  /** Email of the seeded member the token acts for (the actor of its changes; `cannot_sign_out_self`). */
  user?: string;
}

/** What the admin keys' check already saw, so tokens and keys never share a value or a name. */
export interface CredentialsSeen {
  /** Key value → the path of the entry that has it. */
  values: Map<string, string>;
  names: Set<string>;
}

const OAUTH_SCOPE = /^[a-z_]+:[a-z_]+$/;

/** Checks `oauth_tokens`; undefined when the seed has none. */
export function validateOAuthTokensSeed(
  value: Obj,
  ctx: { bad: Bad; seen: CredentialsSeen; memberEmails: ReadonlyMap<string, string> },
): SeedOAuthToken[] | undefined {
  const { bad, seen } = ctx;
  if (value.oauth_tokens === undefined || value.oauth_tokens === null) return undefined;
  const { str, list } = seedChecks(bad, value);
  const tokens: SeedOAuthToken[] = [];
  eachMapping(list('oauth_tokens'), 'oauth_tokens', ['token', 'name', 'scopes', 'interactive', 'user'], '{token, name?, scopes?, interactive?, user?}', bad, (item, path, i) => {
    const token = str(item, 'token', path, true);
    const out: SeedOAuthToken = { token: token ?? '' };
    // Never echo a token in an error: name the entries instead.
    if (token !== undefined) {
      if (token.length < 8 || /\s/.test(token)) bad(path, 'the token must be at least 8 characters without spaces');
      const earlier = seen.values.get(token);
      if (earlier !== undefined) bad(path, `the same value as ${earlier}`);
      seen.values.set(token, path);
    }
    const name = str(item, 'name', path, false) ?? `oauth-token-${i + 1}`;
    if (seen.names.has(name)) bad(path, `duplicate credential name '${name}' (admin keys and OAuth tokens share names)`);
    seen.names.add(name);
    if (item.name !== undefined) out.name = name;
    if (item.scopes !== undefined) {
      if (!Array.isArray(item.scopes) || item.scopes.some((s) => typeof s !== 'string' || !OAUTH_SCOPE.test(s))) {
        bad(`${path}.scopes`, `must be a list of OAuth scopes such as ${ORG_ADMIN_SCOPE}`);
      } else out.scopes = item.scopes as string[];
    }
    if (item.interactive !== undefined && item.interactive !== null) {
      if (typeof item.interactive !== 'boolean') bad(`${path}.interactive`, 'must be true or false');
      else out.interactive = item.interactive;
    }
    const user = str(item, 'user', path, false);
    if (user !== undefined) {
      if (!ctx.memberEmails.has(emailKey(user))) bad(`${path}.user`, `'${user}' is not a seeded user`);
      else out.user = user;
    }
    tokens.push(out);
  });
  return tokens;
}
