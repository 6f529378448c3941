// Control endpoints of invites: the invitee follows the link (by invite id, or by email), which accepts the invite
// and adds the member with the invite's role. What a person does outside the API.

import type { WireInvite, WireUser } from '../../../clients/wire.js';
import { emailKey } from '../../emails.js';
import { badRequest, notFound } from '../../failure.js';
import { objectBody, requiredString } from '../../params.js';
import type { ControlRoute } from '../../router.js';
import type { EmulatorStore } from '../../store.js';
import type { InviteRecord } from './records.js';

/** The invitee follows the link: the invite becomes accepted and a member with the invite's role appears. */
function accept(store: EmulatorStore, invite: InviteRecord, name: string | undefined): { invite: WireInvite; user: WireUser } {
  const status = store.inviteStatus(invite);
  if (status !== 'pending') throw badRequest(`Invite ${invite.id} is ${status}; only a pending invite can be accepted`);
  const member = store.userByEmail(invite.email);
  if (member) throw badRequest(`${invite.email} is already a member (${member.id})`);
  const user = store.addUser({ email: invite.email, role: invite.role, ...(name !== undefined && { name }) });
  store.setInviteStatus(invite.id, 'accepted');
  return { invite: store.inviteToWire(invite), user: store.userToWire(user) };
}

function optionalName(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  const input = objectBody(body, ['name']);
  return input.name === undefined ? undefined : requiredString(input, 'name');
}

export const inviteControlRoutes: ControlRoute[] = [
  {
    method: 'POST',
    template: '/_emulator/invites/{invite_id}/accept',
    handle: ({ store, params, body }) => {
      const invite = store.invite(params.invite_id!);
      if (!invite) throw notFound(`No invite with id '${params.invite_id}'`);
      return { body: accept(store, invite, optionalName(body)) };
    },
  },
  {
    method: 'POST',
    template: '/_emulator/invites/accept',
    handle: ({ store, body }) => {
      const input = objectBody(body, ['email', 'name']);
      const email = requiredString(input, 'email');
      const name = input.name === undefined ? undefined : requiredString(input, 'name');
      const invite = store.pendingInviteFor(email) ?? store.invitesFor(email)[0];
      if (!invite) throw notFound(`No invite for ${emailKey(email)}`);
      return { body: accept(store, invite, name) };
    },
  },
];
