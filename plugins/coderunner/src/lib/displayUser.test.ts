import { mockApis } from '@backstage/test-utils';
import { coderunnerTranslationRef } from '../translation';
import { displayUser } from './displayUser';

// The English messages of coderunnerTranslationRef, as an app without translations shows them.
const snapshot = mockApis
  .translation()
  .getTranslation(coderunnerTranslationRef);
if (!snapshot.ready) throw new Error('the default messages are not ready');
const { t } = snapshot;

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
