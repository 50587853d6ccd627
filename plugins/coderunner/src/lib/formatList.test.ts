import { formatList } from './formatList';

describe('formatList', () => {
  it('joins items as an English enumeration', () => {
    expect(formatList([])).toBe('');
    expect(formatList(['development'])).toBe('development');
    expect(formatList(['development', 'production'])).toBe(
      'development or production',
    );
    expect(formatList(['development', 'staging', 'production'], 'and')).toBe(
      'development, staging and production',
    );
  });
});
