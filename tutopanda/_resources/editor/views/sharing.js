// The project's people: every member sees who is in it and with which role; an owner shares it
// (adds a user id as editor or viewer, or owner), changes roles and removes members. The server
// refuses what is not allowed (a non-owner, the last owner): its message is shown as it is.

import { reason } from '../api.js';
import { h, replace } from '../dom.js';

// THE roles (tests/unit/test_editor_lists.py compares them with tutopanda.models.members.Role).
export const ROLES = ['owner', 'editor', 'viewer'];

const MAX_USER_ID = 255;

function roleSelect(id, label, value, disabled) {
  return h('select', { id, 'aria-label': label, disabled },
    ROLES.map((role) => h('option', { value: role, selected: role === value ? 'selected' : null }, role)));
}

export function createSharing(container, { api, projectId, me, nameOf, onRole }) {
  const list = h('ul', { class: 'members', 'aria-label': 'Members' });
  const note = h('p', { class: 'muted', role: 'status', 'aria-label': 'Sharing status' });
  const form = h('form', { class: 'share-form', hidden: true, 'aria-label': 'Share the project' });
  let myRole = null;

  async function act(text, change) {
    note.textContent = '';
    try {
      await change();
      note.textContent = text;
    } catch (problem) {
      note.textContent = `Not changed: ${reason(problem)}`;
    }
    await load();
  }

  const label = (userId) => {
    const name = nameOf(userId);
    return `${name === userId ? userId : `${name} (${userId})`}${userId === me ? ' · you' : ''}`;
  };

  function memberItem(member, owner) {
    const role = roleSelect(`role-${member.userId}`, `Role of ${member.userId}`, member.role, !owner);
    role.addEventListener('change', () => act(`${member.userId} is now ${role.value}.`,
      () => api.setMember(projectId, member.userId, role.value)));
    return h('li', { 'data-user': member.userId },
      h('span', { class: 'member-id', title: member.userId }, label(member.userId)),
      role,
      owner ? h('button', {
        type: 'button', class: 'small secondary', 'aria-label': `Remove ${member.userId}`,
        onclick: () => act(`${member.userId} was removed.`, () => api.removeMember(projectId, member.userId)),
      }, 'Remove') : null);
  }

  async function load() {
    let members;
    try {
      members = await api.listMembers(projectId);
    } catch (problem) {
      note.textContent = `Could not load the members: ${reason(problem)}`;
      return null;
    }
    myRole = members.find((member) => member.userId === me)?.role ?? null;
    const owner = myRole === 'owner';
    replace(list, members.map((member) => memberItem(member, owner)));
    form.hidden = !owner;
    onRole?.(myRole);
    return myRole;
  }

  const userId = h('input', {
    id: 'share-user', name: 'userId', required: true, maxlength: MAX_USER_ID, autocomplete: 'off',
    placeholder: 'user id',
  });
  const role = roleSelect('share-role', 'Role to give', 'editor', false);
  form.append(
    h('div', {}, h('label', { for: 'share-user' }, 'Share with'), userId),
    role,
    h('button', { type: 'submit', class: 'small' }, 'Share'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = userId.value.trim();
    if (!id) return;
    act(`Shared with ${id} as ${role.value}.`, async () => {
      await api.setMember(projectId, id, role.value);
      userId.value = '';
    });
  });

  replace(container, h('h2', { id: 'people-title' }, 'People'), list, form, note);
  return {
    /** Load the members; resolves to my role (null: not a member any more, or unknown). */
    load,
    get role() {
      return myRole;
    },
    /** Show the members by name where presence knows it (they are on the lecture). */
    showNames() {
      for (const item of list.querySelectorAll('li[data-user]')) {
        item.querySelector('.member-id').textContent = label(item.dataset.user);
      }
    },
  };
}
