import { deploymentPathParams, entityPathParams } from './paths';

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
