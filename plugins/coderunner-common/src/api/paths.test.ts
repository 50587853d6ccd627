import { entityApiPath } from './paths';

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
