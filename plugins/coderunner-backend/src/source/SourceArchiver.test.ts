import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { list as listTar } from 'tar';
import { localComponent } from '../__testUtils__/OrchestratorHarness';
import { EntitySourceReader, MAX_MANIFEST_BYTES } from './EntitySourceReader';
import { LocalSourceRoots } from './LocalSourceRoots';
import { MAX_SOURCE_BYTES, SourceArchiver } from './SourceArchiver';

const localRoots = LocalSourceRoots.of([os.tmpdir()]);

function tempDir(files: Record<string, string | Buffer>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coderunner-source-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

async function namesIn(archive: Buffer): Promise<string[]> {
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'coderunner-tgz-')),
    'a.tgz',
  );
  fs.writeFileSync(file, archive);
  const names: string[] = [];
  await listTar({
    file,
    onReadEntry: entry => void names.push(entry.path.replace(/^\.\//, '')),
  });
  return names.filter(n => n && !n.endsWith('/')).sort();
}

function urlComponent(
  url: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'remote',
      annotations: {
        'backstage.io/source-location': `url:${url}`,
        ...annotations,
      },
    },
    spec: {
      type: 'service',
      owner: 'group:default/platform',
      lifecycle: 'experimental',
    },
  };
}

describe('source snapshots and manifests', () => {
  it('packs a local folder, leaving out dependencies and VCS folders', async () => {
    const dir = tempDir({
      'catalog-info.yaml': 'kind: Component',
      'coderunner.yaml': 'apiVersion: coderunner.io/v1',
      'src/server.js': 'console.log(1)',
      'node_modules/left-pad/index.js': 'x',
      '.git/HEAD': 'ref',
    });
    const urlReader = mockServices.urlReader.mock();
    const archiver = new SourceArchiver(
      EntitySourceReader.create({ urlReader, localRoots }),
      urlReader,
    );
    const snapshot = await archiver.snapshot(localComponent('local', dir));
    expect(await namesIn(snapshot.archive)).toEqual([
      'catalog-info.yaml',
      'coderunner.yaml',
      'src/server.js',
    ]);
    expect(snapshot.summary).toBe(dir);
  });

  it('reads a URL source with the UrlReader readTree, keeps its etag as the revision, and removes the temporary copy', async () => {
    const tree = tempDir({
      'coderunner.yaml': 'apiVersion: coderunner.io/v1',
      'app.py': 'print(1)',
    });
    const urlReader = mockServices.urlReader.mock({
      readTree: jest.fn(async () => ({
        etag: 'abc123',
        dir: async () => tree,
        files: async () => [],
        archive: async () => undefined as any,
      })),
    });
    const archiver = new SourceArchiver(
      EntitySourceReader.create({ urlReader, localRoots }),
      urlReader,
    );
    const snapshot = await archiver.snapshot(
      urlComponent('https://git.example.com/org/repo/tree/main/app'),
    );
    expect(urlReader.readTree).toHaveBeenCalledWith(
      'https://git.example.com/org/repo/tree/main/app/',
    );
    expect(await namesIn(snapshot.archive)).toEqual([
      'app.py',
      'coderunner.yaml',
    ]);
    expect(snapshot.revision).toBe('abc123');
    expect(fs.existsSync(tree)).toBe(false);
  });

  // Packing 51 MiB of random bytes takes seconds; with the CPU saturated it took over 60 s.
  it('refuses an entity without a source, and a source over the size limit, saying what to do', async () => {
    const urlReader = mockServices.urlReader.mock();
    const archiver = new SourceArchiver(
      EntitySourceReader.create({ urlReader, localRoots }),
      urlReader,
    );
    const bare: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'bare' },
    };
    await expect(archiver.snapshot(bare)).rejects.toThrow(
      'The entity has no backstage.io/source-location annotation',
    );

    // Random bytes do not compress: just over the limit.
    const big = tempDir({
      'blob.bin': randomBytes(MAX_SOURCE_BYTES + 1024 * 1024),
    });
    await expect(archiver.snapshot(localComponent('big', big))).rejects.toThrow(
      `The source is larger than ${
        MAX_SOURCE_BYTES / 1024 / 1024
      } MiB compressed`,
    );
    fs.rmSync(big, { recursive: true, force: true });
  }, 180_000);

  it('explains a missing, misplaced or oversized manifest, and reads one over a URL', async () => {
    const urlReader = mockServices.urlReader.mock({
      readUrl: jest.fn(async (url: string) => {
        if (url.endsWith('/missing/coderunner.yaml'))
          throw new NotFoundError('no such file');
        return {
          buffer: async () => Buffer.from('apiVersion: coderunner.io/v1\n'),
        } as any;
      }),
    });
    const reader = EntitySourceReader.create({ urlReader, localRoots });

    const remote = await reader.readManifest(
      urlComponent('https://git.example.com/org/repo/tree/main/app'),
    );
    expect(remote).toMatchObject({
      manifestPath: 'coderunner.yaml',
      content: 'apiVersion: coderunner.io/v1\n',
    });
    expect(urlReader.readUrl).toHaveBeenCalledWith(
      'https://git.example.com/org/repo/tree/main/app/coderunner.yaml',
    );

    const missing = await reader.readManifest(
      urlComponent('https://git.example.com/org/repo/tree/main/missing'),
    );
    expect(missing.problem).toBe(
      "There is no coderunner.yaml in the component's source (https://git.example.com/org/repo/tree/main/missing/).",
    );

    const escaping = await reader.readManifest(
      urlComponent('https://git.example.com/org/repo', {
        'coderunner.io/manifest-path': '../other/coderunner.yaml',
      }),
    );
    expect(escaping.problem).toContain(
      "must be a path inside the component's source",
    );

    const huge = tempDir({
      'coderunner.yaml': `# ${'x'.repeat(MAX_MANIFEST_BYTES)}\n`,
    });
    const tooBig = await reader.readManifest(localComponent('huge', huge));
    expect(tooBig.problem).toContain(
      `the limit is ${MAX_MANIFEST_BYTES} bytes`,
    );
  });
});
