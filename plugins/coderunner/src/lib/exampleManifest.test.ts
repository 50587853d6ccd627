import { parseManifest } from '@coderunner/plugin-coderunner-common';
import { EXAMPLE_MANIFEST } from './exampleManifest';

describe('EXAMPLE_MANIFEST', () => {
  it('is a valid coderunner.yaml, so users can copy it as it is', () => {
    expect(parseManifest(EXAMPLE_MANIFEST).errors).toEqual([]);
  });
});
