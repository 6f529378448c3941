// The first line of every desired-state file `import` writes, and of the examples: it tells editors that read
// `# yaml-language-server: $schema=…` (VS Code's YAML extension, Neovim and others through yaml-language-server)
// which JSON Schema to complete and check the file with.
//
// The file lives in the user's repository, where neither this repository's `schemas/` folder nor (in the GitOps
// pipeline, which installs the CLI globally) a `node_modules/claude-reconcile` exists. So the line names the schema
// of the published package at the exact version that wrote the file, on the jsDelivr mirror of the npm registry:
// it resolves wherever the file is, and it is the same schema `validate` uses (`schemas/` is in the package). A
// test checks that the tarball holds the file at that path. docs/file-format.md explains the line and the
// alternatives (a local path into node_modules, or a copy of the schema in the repository).

export const SCHEMA_FILE = 'schemas/claude-reconcile.schema.json';

/** The URL of the desired-state schema of the published package `claude-reconcile@version`. */
export function schemaUrl(version: string): string {
  return `https://cdn.jsdelivr.net/npm/claude-reconcile@${version}/${SCHEMA_FILE}`;
}

/** The modeline yaml-language-server reads: the first line of an imported file. */
export function schemaLine(version: string): string {
  return `# yaml-language-server: $schema=${schemaUrl(version)}`;
}
