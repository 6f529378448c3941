// JSON Schemas of the SDK 1.17.0 response types, generated at test time from the SDK's own `.d.ts` files
// (ts-json-schema-generator), so the conformance suite checks EVERY field and type the SDK declares and follows the
// installed SDK rather than a hand-copied list. Objects are closed (`additionalProperties: false`): a field the
// SDK does not declare (e.g. the legacy `roles`, `group_id`, `workspace_id`, `has_more` on token pages) fails too.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { createGenerator } from 'ts-json-schema-generator';

const require = createRequire(import.meta.url);
// The package's main file sits at its root (its `exports` hide package.json).
const SDK_DIR = dirname(require.resolve('@anthropic-ai/sdk'));
const ORG = join(SDK_DIR, 'resources', 'organization');

/** Each response type, by the `.d.ts` file that declares it. */
const SOURCES: Record<string, string> = {
  OrganizationInfo: 'organization.d.ts',
  OrganizationUser: 'users.d.ts',
  UserRemoveResponse: 'users.d.ts',
  OrganizationInvite: 'invites.d.ts',
  InviteDeleteResponse: 'invites.d.ts',
  Workspace: 'workspaces/workspaces.d.ts',
  WorkspaceMember: 'workspaces/workspaces.d.ts',
  MemberRemoveResponse: 'workspaces/members.d.ts',
  APIKey: 'api-keys.d.ts',
  RBACGroup: 'rbac-groups/rbac-groups.d.ts',
  DeletedRBACGroup: 'rbac-groups/rbac-groups.d.ts',
  RBACGroupMember: 'rbac-groups/members.d.ts',
  DeletedRBACGroupMember: 'rbac-groups/members.d.ts',
  RBACRole: 'rbac-roles/rbac-roles.d.ts',
  RBACRolePermission: 'rbac-roles/permissions.d.ts',
  WorkspaceCreatedIncompleteErrorDetails: 'workspaces/workspaces.d.ts',
  ServiceAccount: 'service-accounts/service-accounts.d.ts',
  ServiceAccountWorkspaceMember: 'service-accounts/service-accounts.d.ts',
  // Both sides' removal answers: the service-account side's `WorkspaceRemoveResponse` declares the same three fields,
  // but its name also belongs to a federation-rule type, which the generator would pick (service-accounts.test.ts
  // checks the two declarations agree at compile time).
  ServiceAccountRemoveResponse: 'workspaces/service-accounts.d.ts',
  // The beta sign-out answers a BetaOrganizationUser (client.beta.organization.users.signOut).
  BetaOrganizationUser: '../beta/organization/users.d.ts',
};

export type SdkType = keyof typeof SOURCES;

export interface SdkSchemas {
  /** Throws, listing every violation, unless `value` is exactly a `type` as the SDK declares it. */
  check(type: SdkType, value: unknown): void;
  /** The generated schema (for tests that look at it). */
  schema(type: SdkType): Record<string, unknown>;
}

/** Generates every schema once (a few seconds: it reads the SDK's type program). */
export function loadSdkSchemas(): SdkSchemas {
  // One program for all files (each program costs seconds): the organization index re-exports every resource, and
  // a type is looked up by name among its declarations; duplicate names are told apart by their file.
  const gen = createGenerator({
    path: join(ORG, '{' + [...new Set(Object.values(SOURCES))].join(',') + '}'),
    type: '*',
    skipTypeCheck: true,
    expose: 'none',
    topRef: false,
    additionalProperties: false,
    jsDoc: 'none',
  });
  const ajv = new Ajv({ strict: true, allErrors: true, strictTuples: false });
  const validators = new Map<string, ValidateFunction>();
  const schemas = new Map<string, Record<string, unknown>>();
  for (const type of Object.keys(SOURCES)) {
    const schema = gen.createSchema(type) as Record<string, unknown>;
    delete schema.$schema;
    schemas.set(type, schema);
    validators.set(type, ajv.compile(schema));
  }
  return {
    check(type, value) {
      const validate = validators.get(type)!;
      if (!validate(value)) {
        throw new Error(`not an SDK ${type}: ${ajv.errorsText(validate.errors, { separator: '; ' })}\n${JSON.stringify(value)}`);
      }
    },
    schema: (type) => schemas.get(type)!,
  };
}
