// Exact requests of the enterprise RBAC group endpoints (§11.2): token pages, short pages while has_more.

import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { RepeatedCursorError } from '../../src/errors.js';
import { api, groupObj, recordTo, rejectionOf, tokenPage, nockClients, type Recorded } from './helpers.js';

const G = '/v1/organizations/rbac_groups';

const client = nockClients();

function gm(userId: string, groupId = 'rbac_group_1'): Record<string, unknown> {
  return { type: 'rbac_group_member', group_id: groupId, user_id: userId, email: `${userId}@acme.test`, created_at: '2026-09-01T00:00:00Z' };
}

describe('RBAC groups (§11.2)', () => {
  it('lists with page=<next_page>, reading on past a short page while has_more is true', async () => {
    const log: Recorded[] = [];
    api().get(G).query(true).reply(recordTo(log, 200, tokenPage([groupObj('rbac_group_1', 'Platform')], 'cGFnZTI=')));
    api().get(G).query(true).reply(recordTo(log, 200, tokenPage([], 'cGFnZTM=')));
    api()
      .get(G)
      .query(true)
      .reply(recordTo(log, 200, tokenPage([groupObj('rbac_group_2', 'Eng', { source_type: 'scim', roles: null })], null)));
    const { client: c } = client();
    const groups = await c.listAllRbacGroups();
    expect(groups.map((g) => [g.id, g.source_type])).toEqual([
      ['rbac_group_1', 'direct'],
      ['rbac_group_2', 'scim'],
    ]);
    expect(log.map((r) => r.uri)).toEqual([`${G}?limit=1000`, `${G}?limit=1000&page=cGFnZTI%3D`, `${G}?limit=1000&page=cGFnZTM%3D`]);
    expect(c.stats.pages).toEqual({ [`GET ${G}`]: 3 });
  });

  it('refuses a repeated page token', async () => {
    api().get(G).query(true).times(2).reply(200, tokenPage([groupObj('rbac_group_1', 'A')], 'same'));
    const { client: c } = client();
    expect(await rejectionOf(c.listAllRbacGroups())).toBeInstanceOf(RepeatedCursorError);
  });

  it('gets, creates, renames and deletes', async () => {
    const log: Recorded[] = [];
    api().get(`${G}/rbac_group_1`).reply(recordTo(log, 200, groupObj('rbac_group_1', 'Platform')));
    api().post(G).reply(recordTo(log, 200, groupObj('rbac_group_2', 'Data')));
    api().post(`${G}/rbac_group_2`).reply(recordTo(log, 200, groupObj('rbac_group_2', 'Data Eng')));
    api().delete(`${G}/rbac_group_2`).reply(recordTo(log, 200, { id: 'rbac_group_2', type: 'rbac_group_deleted' }));
    const { client: c } = client();
    expect((await c.getRbacGroup('rbac_group_1')).name).toBe('Platform');
    expect((await c.createRbacGroup('Data', { knownIds: [] })).id).toBe('rbac_group_2');
    expect((await c.renameRbacGroup('rbac_group_2', 'Data Eng')).name).toBe('Data Eng');
    expect(await c.deleteRbacGroup('rbac_group_2')).toEqual({ id: 'rbac_group_2', type: 'rbac_group_deleted' });
    expect(log.map((r) => `${r.method} ${r.uri}`)).toEqual([
      `GET ${G}/rbac_group_1`,
      `POST ${G}`,
      `POST ${G}/rbac_group_2`,
      `DELETE ${G}/rbac_group_2`,
    ]);
    expect(log[1]!.body).toEqual({ name: 'Data' });
    expect(log[2]!.body).toEqual({ name: 'Data Eng' });
    expect(log[1]!.headers['anthropic-version']).toBe('2026-10-21');
  });

  it('without knownIds, lists the groups once before the POST', async () => {
    const log: Recorded[] = [];
    api().get(G).query(true).reply(recordTo(log, 200, tokenPage([groupObj('rbac_group_1', 'Data')], null)));
    api().post(G).reply(recordTo(log, 200, groupObj('rbac_group_2', 'Data')));
    const { client: c } = client();
    expect((await c.createRbacGroup('Data')).id).toBe('rbac_group_2');
    expect(log.map((r) => `${r.method} ${r.uri}`)).toEqual([`GET ${G}?limit=1000`, `POST ${G}`]);
  });

  it('members: lists over short pages, adds with {user_id}, removes', async () => {
    const log: Recorded[] = [];
    const M = `${G}/rbac_group_1/members`;
    // §11.2: members outside the enterprise's orgs are filtered out, so a page may be short while has_more is true.
    api().get(M).query(true).reply(recordTo(log, 200, tokenPage([gm('user_1')], 'p2')));
    api().get(M).query(true).reply(recordTo(log, 200, tokenPage([gm('user_2'), gm('user_3')], null)));
    api().post(M).reply(recordTo(log, 200, gm('user_4')));
    api()
      .delete(`${M}/user_4`)
      .reply(recordTo(log, 200, { group_id: 'rbac_group_1', user_id: 'user_4', type: 'rbac_group_member_deleted' }));
    const { client: c } = client({ pageSize: 2 });
    expect((await c.listAllRbacGroupMembers('rbac_group_1')).map((m) => m.user_id)).toEqual(['user_1', 'user_2', 'user_3']);
    expect((await c.addRbacGroupMember('rbac_group_1', 'user_4')).user_id).toBe('user_4');
    // the legacy receipt (`group_id`) comes back normalized
    expect(await c.removeRbacGroupMember('rbac_group_1', 'user_4')).toEqual({
      rbac_group_id: 'rbac_group_1',
      user_id: 'user_4',
      type: 'rbac_group_member_deleted',
    });
    expect(log.map((r) => `${r.method} ${r.uri}`)).toEqual([
      `GET ${M}?limit=2`,
      `GET ${M}?limit=2&page=p2`,
      `POST ${M}`,
      `DELETE ${M}/user_4`,
    ]);
    expect(log[2]!.body).toEqual({ user_id: 'user_4' });
    expect(c.stats.byRoute).toEqual({
      [`GET ${G}/{group_id}/members`]: 2,
      [`POST ${G}/{group_id}/members`]: 1,
      [`DELETE ${G}/{group_id}/members/{user_id}`]: 1,
    });
  });
});
