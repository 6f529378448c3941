// Type-level test: the Admin API client has every call the layers above declare they need (issue 16). Nothing here
// runs; `npm run typecheck` compiles it. The live reader's port (`AdminReader`) marks the calls of newer kinds
// optional so that test doubles need not have them; the real client must, or a kind whose listing it lacks would
// read as empty and every plan would create what is already there. The executor's port is required as it is.

import type { AdminClient } from '../../src/clients/admin.js';
import type { AdminWriter } from '../../src/executor/handlers.js';
import type { AdminReader } from '../../src/live/kinds.js';

type Is<T extends true> = T;

/** Every call of the reader's port, optional ones included, is the client's. */
export type ClientReads = Is<AdminClient extends Required<AdminReader> ? true : false>;
/** Every call of the executor's port. */
export type ClientWrites = Is<AdminClient extends AdminWriter ? true : false>;

// A port with a call the client does not have is not met: the check above can fail.
// @ts-expect-error the client has no listSpendLimits
export type Missing = Is<AdminClient extends Required<AdminReader & { listSpendLimits?(): Promise<unknown[]> }> ? true : false>;
