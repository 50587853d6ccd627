import { deploymentPathParams, entityApiPath, entityPathParams } from './paths';

describe('entityPathParams', () => {
  it('lower-cases kind and namespace and keeps the name', () => {
    expect(entityPathParams('Component:Team-A/Shop')).toEqual({
      kind: 'component',
      namespace: 'team-a',
      name: 'Shop',
    });
    expect(entityPathParams('component:a/b c')).toEqual({
      kind: 'component',
      namespace: 'a',
      name: 'b c',
    });
  });
});

describe('deploymentPathParams', () => {
  it('adds the environment to the entity path parameters', () => {
    expect(deploymentPathParams('Component:default/shop', 'staging')).toEqual({
      kind: 'component',
      namespace: 'default',
      name: 'shop',
      environment: 'staging',
    });
  });
});

describe('entityApiPath', () => {
  it('lower-cases kind and namespace, keeps the name, and encodes every segment', () => {
    expect(
      entityApiPath({ kind: 'Component', namespace: 'Team-A', name: 'Shop' }),
    ).toBe('/entities/component/team-a/Shop');
    expect(
      entityApiPath({ kind: 'component', namespace: 'default', name: 'a/b c' }),
    ).toBe('/entities/component/default/a%2Fb%20c');
  });
});
