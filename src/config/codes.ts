// The stable diagnostic codes of the desired-state loader. Tools and tests match on these, never on messages,
// so a code is never renamed or reused for another meaning.

export const CONFIG_CODES = {
  // reading the file
  fileUnreadable: 'file_unreadable',
  fileEncoding: 'file_encoding',
  fileTooLarge: 'file_too_large',
  emptyFile: 'empty_file',
  /** the file is not a desired-state file (or a link that leads out of its directory): nothing of it is shown */
  notDesiredState: 'not_desired_state',
  fileOutsideTree: 'file_outside_tree',
  // YAML
  yamlSyntax: 'yaml_syntax',
  yamlWarning: 'yaml_warning',
  duplicateKey: 'duplicate_key',
  multipleDocuments: 'multiple_documents',
  nestingTooDeep: 'nesting_too_deep',
  tooManyValues: 'too_many_values',
  aliasLimit: 'alias_limit',
  yamlAlias: 'yaml_alias',
  complexKey: 'complex_key',
  // JSON Schema
  schema: 'schema',
  unknownKey: 'unknown_key',
  missingKey: 'missing_key',
  invalidEmail: 'invalid_email',
  invalidDomain: 'invalid_domain',
  invalidDate: 'invalid_date',
  workspaceBillingNotAssignable: 'workspace_billing_not_assignable',
  // cross-references
  duplicateEmail: 'duplicate_email',
  memberDeparted: 'member_departed',
  protectedDeparted: 'protected_departed',
  memberUnmanaged: 'member_unmanaged',
  departedUnmanaged: 'departed_unmanaged',
  invalidGlob: 'invalid_glob',
  // emails across the file (desired-state.md "Identity")
  emailDomainSpelling: 'email_domain_spelling',
  emailDomainNotAllowed: 'email_domain_not_allowed',
  emailLookAlike: 'email_look_alike',
  roleNotValidForKind: 'role_not_valid_for_kind',
  notForKind: 'not_for_kind',
  invalidName: 'invalid_name',
  defaultWorkspace: 'default_workspace',
  tooManyWorkspaces: 'too_many_workspaces',
  duplicateName: 'duplicate_name',
  renameConflict: 'rename_conflict',
  notAMember: 'not_a_member',
  deleteWithMembers: 'delete_with_members',
  archivedWithMembers: 'archived_with_members',
  // credentials written into the file (they are read only from the environment)
  credentialInFile: 'credential_in_file',
  // a broken installation (the schema file is missing), not bad input
  internal: 'internal',
} as const;

export type ConfigCode = (typeof CONFIG_CODES)[keyof typeof CONFIG_CODES];
