// GET /v1/organizations/me (§4.1): the organization that owns the credential. Any valid key may call it.

import type { WireOrganization } from '../../../clients/wire.js';
import type { ApiRoute } from '../../router.js';

export const organizationRoutes: ApiRoute[] = [
  {
    method: 'GET',
    template: '/v1/organizations/me',
    handle: ({ store }) => {
      const body: WireOrganization = { id: store.organization.id, type: 'organization', name: store.organization.name };
      return { body };
    },
  },
];
