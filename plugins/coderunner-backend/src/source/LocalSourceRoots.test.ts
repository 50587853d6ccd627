import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalSourceRoots } from './LocalSourceRoots';

const repo = path.resolve(__dirname, '../../../..');
const examples = path.join(repo, 'examples');

describe('LocalSourceRoots', () => {
  it("defaults to the repo's examples and the scaffolder's components folder", async () => {
    const components = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'coderunner-made-')),
    );
    const roots = LocalSourceRoots.fromConfig(
      new ConfigReader({
        coderunner: { scaffolder: { localComponentsDir: components } },
      }),
      path.join(repo, 'packages', 'backend'),
    );
    await expect(
      roots.resolve(path.join(examples, 'hello-node')),
    ).resolves.toBe(path.join(examples, 'hello-node'));
    await expect(roots.resolve(components)).resolves.toBe(components);
    await expect(roots.resolve(repo)).rejects.toThrow('not under one');
    await expect(roots.resolve(`${examples}-elsewhere`)).rejects.toThrow(
      'not under one',
    );
  });

  it('reads configured roots relative to the working directory, and only those', async () => {
    const roots = LocalSourceRoots.fromConfig(
      new ConfigReader({
        coderunner: { source: { localRoots: ['../../examples/static-site'] } },
      }),
      path.join(repo, 'packages', 'backend'),
    );
    await expect(
      roots.resolve(path.join(examples, 'static-site', 'public')),
    ).resolves.toBe(path.join(examples, 'static-site', 'public'));
    await expect(
      roots.resolve(path.join(examples, 'hello-node')),
    ).rejects.toThrow(
      'Add its folder to coderunner.source.localRoots in app-config',
    );
    await expect(
      roots.resolve(path.join(examples, 'static-site', 'missing')),
    ).rejects.toThrow('does not exist');
  });
});
