import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublishLocalAction } from './publishLocal';

describe('coderunner:publish:local', () => {
  function workspace(catalogInfo?: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coderunner-ws-'));
    fs.writeFileSync(path.join(dir, 'server.js'), 'console.log(1)');
    if (catalogInfo)
      fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), catalogInfo);
    return dir;
  }

  it('copies the workspace into the components folder and registers it in the catalog', async () => {
    const componentsDir = fs.mkdtempSync(
      path.join(os.tmpdir(), 'coderunner-components-'),
    );
    const catalog = catalogServiceMock.mock();
    catalog.addLocation.mockResolvedValue({
      location: {
        id: '1',
        type: 'file',
        target: 'x',
        entityRef: 'location:default/x',
      } as any,
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'new-app', namespace: 'default' },
        },
      ],
      exists: false,
    });
    const ctx = createMockActionContext({
      input: { name: 'new-app' },
      workspacePath: workspace(
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: new-app\n',
      ),
    });
    await createPublishLocalAction({ componentsDir, catalog }).handler(
      ctx as any,
    );

    const target = path.join(componentsDir, 'new-app');
    expect(fs.readFileSync(path.join(target, 'server.js'), 'utf8')).toBe(
      'console.log(1)',
    );
    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'file', target: path.join(target, 'catalog-info.yaml') },
      expect.anything(),
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/new-app',
    );

    // The same name again is refused, and nothing is overwritten.
    const again = createMockActionContext({
      input: { name: 'new-app' },
      workspacePath: workspace('metadata:\n  name: new-app\n'),
    });
    await expect(
      createPublishLocalAction({ componentsDir, catalog }).handler(
        again as any,
      ),
    ).rejects.toThrow('already exists; pick another name');
  });

  it('leaves nothing behind when the catalog refuses the location', async () => {
    const componentsDir = fs.mkdtempSync(
      path.join(os.tmpdir(), 'coderunner-components-'),
    );
    const catalog = catalogServiceMock.mock();
    catalog.addLocation.mockRejectedValue(
      new Error('Registered locations must be of an allowed type ["url"]'),
    );
    const ctx = createMockActionContext({
      input: { name: 'refused' },
      workspacePath: workspace('metadata:\n  name: refused\n'),
    });
    await expect(
      createPublishLocalAction({ componentsDir, catalog }).handler(ctx as any),
    ).rejects.toThrow('allowed type');
    expect(fs.existsSync(path.join(componentsDir, 'refused'))).toBe(false);
  });

  it('says what is missing when the template produced no catalog-info.yaml', async () => {
    const ctx = createMockActionContext({
      input: { name: 'x' },
      workspacePath: workspace(),
    });
    await expect(
      createPublishLocalAction({
        componentsDir: os.tmpdir(),
        catalog: catalogServiceMock(),
      }).handler(ctx as any),
    ).rejects.toThrow('no catalog-info.yaml');
  });
});
