import { checkRequestTarget } from './requestTarget';

describe('checkRequestTarget', () => {
  it.each([
    '/',
    '/things/1?sort=name&q=a%20b',
    '/%2F%2Fhost/',
    '/a/..//host',
    // A backslash after the path cannot move the host; browsers send it in queries as it is.
    '/search?q=a\\b',
  ])('keeps the path %s as it is', target => {
    expect(checkRequestTarget(target)).toEqual({ path: target });
  });

  it.each([
    [undefined, 'is empty'],
    ['', 'is empty'],
    ['http://127.0.0.1:7007/api', 'must be a path that starts with a single /'],
    ['//127.0.0.1:7007/api', 'must be a path that starts with a single /'],
    ['/\\127.0.0.1:7007/api', 'no backslash'],
    ['\\\\127.0.0.1/api', 'no backslash'],
    ['/a\\b?q=1', 'no backslash'],
    ['@127.0.0.1/api', 'must be a path that starts with a single /'],
    ['*', 'must be a path that starts with a single /'],
    ['?q=1', 'must be a path that starts with a single /'],
    ['/a\r\nHost: x', 'control character'],
    ['/a b', 'a space'],
    ['/caf\u00e9', 'non-ASCII'],
    ['/\u0000', 'control character'],
  ])('refuses %p: %s', (target, problem) => {
    expect(checkRequestTarget(target).problem).toContain(problem);
  });
});
