import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { coderunnerPlugin } from '../plugin';

// Starts a backend: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

// Finding: an entity whose source location was `dir:` or `file:` anywhere on the host shipped
// that folder (the portal's own repository, app-config included) into a sandbox. Anyone who
// may register a catalog location writes those annotations. Now only folders under
// coderunner.source.localRoots are read, after resolving `..` and symlinks.

const MANIFEST =
  'apiVersion: coderunner.io/v1\nrun:\n  command: node server.js\n  port: 3000\n';

const base = fs.realpathSync(
  fs.mkdtempSync(path.join(os.tmpdir(), 'coderunner-roots-')),
);
const root = path.join(base, 'components');
// Stands for the portal's repository: a valid manifest next to a file that must stay on the host.
const outside = path.join(base, 'portal');
for (const dir of [path.join(root, 'app'), outside]) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'coderunner.yaml'), MANIFEST);
  fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), 'kind: Component\n');
}
fs.writeFileSync(
  path.join(outside, 'app-config.local.yaml'),
  'backend: { auth: { keys: [secret: hunter2] } }\n',
);
fs.symlinkSync(outside, path.join(root, 'link'));
fs.symlinkSync(
  path.join(outside, 'coderunner.yaml'),
  path.join(root, 'app', 'linked.yaml'),
);

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      owner: 'group:default/platform',
      lifecycle: 'experimental',
    },
  };
}

const refused: [string, Record<string, string>][] = [
  ['host-root', { 'backstage.io/source-location': 'dir:/' }],
  [
    'host-file',
    { 'backstage.io/managed-by-location': `file:${outside}/catalog-info.yaml` },
  ],
  [
    'dot-dot',
    { 'backstage.io/source-location': `dir:${root}/app/../../portal` },
  ],
  ['symlink', { 'backstage.io/source-location': `dir:${root}/link` }],
  [
    'symlinked-manifest',
    {
      'backstage.io/source-location': `dir:${root}/app`,
      'coderunner.io/manifest-path': 'linked.yaml',
    },
  ],
];

describe('source locations on the host', () => {
  let server: any;

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        coderunnerPlugin,
        catalogServiceMock.factory({
          entities: [
            component('inside', {
              'backstage.io/source-location': `dir:${root}/app`,
            }),
            ...refused.map(([name, annotations]) =>
              component(name, annotations),
            ),
          ],
        }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootConfig.factory({
          data: {
            coderunner: {
              environments: ['development'],
              gateway: { enabled: false },
              source: { localRoots: [root] },
            },
          },
        }),
      ],
    }));
  });

  afterAll(() => {
    fs.rmSync(base, { recursive: true, force: true });
  });

  const entityPath = (name: string) =>
    `/api/coderunner/entities/component/default/${name}`;

  it('reads a component under a configured root', async () => {
    const setup = await request(server).get(`${entityPath('inside')}/setup`);
    expect(setup.body).toMatchObject({ manifestFound: true });
  });

  it.each(refused)(
    'refuses %s with the key to set, reading nothing',
    async name => {
      const setup = await request(server).get(`${entityPath(name)}/setup`);
      expect(setup.status).toBe(200);
      // The manifest there is valid: not finding it means it was not read.
      expect(setup.body.manifestFound).toBe(false);
      expect(setup.body.problem).toContain(
        'CodeRunner deploys local source only from folders under coderunner.source.localRoots',
      );

      const deploy = await request(server)
        .post(`${entityPath(name)}/deployments/development/deploy`)
        .send({});
      expect(deploy.status).toBe(400);
      expect(deploy.body.error.message).toContain(
        'coderunner.source.localRoots',
      );
      expect(deploy.text).not.toContain('hunter2');
      const deployments = await request(server).get(
        `${entityPath(name)}/deployments`,
      );
      expect(deployments.body.items).toEqual([]);
    },
  );
});
