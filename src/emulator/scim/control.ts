// Control endpoints of the SCIM directory: `POST /_emulator/scim/sync` runs one directory sync now (what Claude's
// "Sync now" button does, reference §13.2) and answers what it did. 404 when the org has no directory.

import { notFound } from '../failure.js';
import type { ControlRoute } from '../router.js';
import { syncDirectory } from './sync.js';

export const scimControlRoutes: ControlRoute[] = [
  {
    method: 'POST',
    template: '/_emulator/scim/sync',
    handle: ({ store }) => {
      if (!store.scim) throw notFound('This organization has no SCIM directory (the seed has no scim section)');
      return { body: syncDirectory(store) };
    },
  },
];
