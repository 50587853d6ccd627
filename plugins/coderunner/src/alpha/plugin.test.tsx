import {
  ApiBlueprint,
  coreExtensionData,
  type ExtensionDefinition,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { screen } from '@testing-library/react';
import { coderunnerApiRef } from '../api';
import {
  componentEntity,
  fakeCodeRunnerApi,
  setupWithManifest,
} from '../__testUtils__';
import coderunnerPlugin from './plugin';

const systemEntity = { ...componentEntity, kind: 'System' };

function renderOnEntityPage(extension: ExtensionDefinition) {
  const element = createExtensionTester(extension).reactElement();
  return renderInTestApp(
    <EntityProvider entity={componentEntity}>{element}</EntityProvider>,
    { apis: [[coderunnerApiRef, fakeCodeRunnerApi(setupWithManifest)]] },
  );
}

describe('new frontend system plugin', () => {
  it('is the coderunner plugin and provides the CodeRunner API', () => {
    expect(coderunnerPlugin.id).toBe('coderunner');
    const api = createExtensionTester(
      coderunnerPlugin.getExtension('api:coderunner'),
    ).get(ApiBlueprint.dataRefs.factory);
    expect(api.api.id).toBe(coderunnerApiRef.id);
  });

  it.each([
    [
      'entity-content:coderunner/deployments',
      'deployments',
      'Deployments',
      'deployment',
    ],
    ['entity-content:coderunner/logs', 'logs', 'Logs', 'observability'],
    ['entity-content:coderunner/config', 'config', 'Config', 'deployment'],
    [
      'entity-content:coderunner/autoscaling',
      'autoscaling',
      'Autoscaling',
      'deployment',
    ],
  ] as const)(
    '%s is the %s tab titled %s in the %s group, on Component entities only',
    async (id, name, title, group) => {
      const extension = coderunnerPlugin.getExtension(id);
      const tester = createExtensionTester(extension);

      expect(tester.get(coreExtensionData.routePath)).toBe(`/${name}`);
      expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(title);
      expect(tester.get(EntityContentBlueprint.dataRefs.group)).toBe(group);
      const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
      expect(filter?.(componentEntity)).toBe(true);
      expect(filter?.(systemEntity)).toBe(false);

      await renderOnEntityPage(extension);
      expect(
        await screen.findByTestId(`coderunner-${name}-tab`),
      ).toBeInTheDocument();
    },
  );

  it('entity-card:coderunner/overview is the overview card, on Component entities only', async () => {
    const extension = coderunnerPlugin.getExtension(
      'entity-card:coderunner/overview',
    );
    const filter = createExtensionTester(extension).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    expect(filter?.(componentEntity)).toBe(true);
    expect(filter?.(systemEntity)).toBe(false);

    await renderOnEntityPage(extension);
    expect(await screen.findByText(/ready to deploy/)).toBeInTheDocument();
  });

  it('page:coderunner is the global page at /coderunner', async () => {
    const tester = createExtensionTester(
      coderunnerPlugin.getExtension('page:coderunner'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/coderunner');

    await renderInTestApp(tester.reactElement(), {
      apis: [[coderunnerApiRef, fakeCodeRunnerApi(setupWithManifest)]],
    });
    expect(await screen.findByText('No deployments yet')).toBeInTheDocument();
  });
});
