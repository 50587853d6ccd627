import { englishTranslate } from '../__testUtils__/translations';
import { displayUser } from './displayUser';

const t = englishTranslate();

describe('displayUser', () => {
  it('shows an entity ref by its name and anything else as it is', () => {
    expect(displayUser('user:default/guest', t)).toBe('guest');
    expect(displayUser('a:b:c/', t)).toBe('a:b:c/');
  });

  it('names no one in the words of the translation', () => {
    expect(displayUser(undefined, t)).toBe('unknown');
    expect(displayUser('', t)).toBe('unknown');
  });
});
