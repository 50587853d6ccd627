import { formatList } from './formatList';

describe('formatList', () => {
  it('joins items as an English enumeration', () => {
    expect(formatList([], 'or')).toBe('');
    expect(formatList(['development'], 'or')).toBe('development');
    expect(formatList(['development', 'production'], 'or')).toBe(
      'development or production',
    );
    expect(formatList(['development', 'staging', 'production'], 'and')).toBe(
      'development, staging and production',
    );
  });
});
