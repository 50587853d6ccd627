import { isResourcePermission } from '@backstage/plugin-permission-common';
import { coderunnerPermissions } from './permissions';

describe('coderunnerPermissions', () => {
  it('are catalog entity resource permissions with unique coderunner names', () => {
    const names = coderunnerPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const permission of coderunnerPermissions) {
      expect(permission.name).toMatch(/^coderunner\.[a-z]+\.[a-z]+$/);
      expect(isResourcePermission(permission, 'catalog-entity')).toBe(true);
    }
  });

  it('separates reading from changing', () => {
    const byName = Object.fromEntries(
      coderunnerPermissions.map(p => [p.name, p.attributes.action]),
    );
    expect(byName).toEqual({
      'coderunner.deployment.read': 'read',
      'coderunner.deployment.deploy': 'update',
      'coderunner.logs.read': 'read',
      'coderunner.config.read': 'read',
      'coderunner.config.write': 'update',
      'coderunner.secret.reveal': 'read',
      'coderunner.scaling.write': 'update',
      'coderunner.budget.write': 'update',
      'coderunner.instance.exec': 'update',
    });
  });
});
