// What `import` read from the live organization: the planner's Live model (so the import sees exactly what a plan
// would see) plus the facts no response carries and the caller had to supply or infer.

import type { OrgKind, Provisioning } from '../model/desired.js';
import type { Live } from '../model/live.js';

export interface ImportSource extends Live {
  kind: OrgKind;
  /** how `kind` was decided: given with --kind, or detected from a console-only listing */
  kindSource: 'flag' | 'detected';
  /** not readable from any API (§13.2: the mode is an org setting): given with --provisioning, default invite */
  provisioning: Provisioning;
}
