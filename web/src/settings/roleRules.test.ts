import { describe, expect, it } from 'vitest';
import { roleChangeBlock, roleChangeSummary, roleSelectBlock } from './roleRules';

const admin = { actorId: 'a1', actorRole: 'admin' };

describe('role change rules', () => {
  it('lets an admin change another user', () => {
    expect(roleSelectBlock({ ...admin, targetId: 'u2', targetRole: 'viewer' })).toBeNull();
    expect(roleChangeBlock({ ...admin, targetId: 'u2', targetRole: 'viewer' }, 'operator')).toBeNull();
    expect(roleChangeBlock({ ...admin, targetId: 'u3', targetRole: 'admin' }, 'viewer')).toBeNull();
  });

  it('refuses an admin their own role, saying why', () => {
    const self = { ...admin, targetId: 'a1', targetRole: 'admin' };
    expect(roleSelectBlock(self)).toMatch(/cannot change your own role/);
    expect(roleChangeBlock(self, 'viewer')).toMatch(/another admin must/);
  });

  it('refuses non-admins', () => {
    expect(roleSelectBlock({ actorId: 'o1', actorRole: 'operator', targetId: 'u2', targetRole: 'viewer' })).toBe('Only admins change roles.');
  });

  it('does not send a change to the same role', () => {
    expect(roleChangeBlock({ ...admin, targetId: 'u2', targetRole: 'operator' }, 'operator')).toBe('That is already their role.');
  });

  it('says promoted or demoted', () => {
    expect(roleChangeSummary('ana@x.io', 'viewer', 'operator')).toBe('ana@x.io promoted from viewer to operator.');
    expect(roleChangeSummary('ana@x.io', 'admin', 'viewer')).toBe('ana@x.io demoted from admin to viewer.');
  });
});
