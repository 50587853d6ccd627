import { DeploymentSecrets } from './DeploymentSecrets';

describe('DeploymentSecrets', () => {
  it('keeps the values each deployment started with, line by line, and announces growth', async () => {
    const secrets = new DeploymentSecrets(async (ref, env) =>
      ref === 'component:default/a' ? `${env}-id` : undefined,
    );
    const changed: string[] = [];
    secrets.onChange(id => changed.push(id));
    await secrets.remember('component:default/a', 'dev', [
      'first-secret',
      'multi\nline-key',
    ]);
    await secrets.remember('component:default/a', 'dev', ['first-secret']);
    await secrets.remember('component:default/b', 'dev', [
      'unknown-deployment',
    ]);
    expect(secrets.valuesOf('dev-id').sort()).toEqual(
      ['first-secret', 'line-key', 'multi', 'multi\nline-key'].sort(),
    );
    expect(secrets.valuesOf('other')).toEqual([]);
    expect(changed).toEqual(['dev-id']);
  });
});
