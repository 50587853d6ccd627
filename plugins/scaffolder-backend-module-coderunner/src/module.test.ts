import { startTestBackend } from '@backstage/backend-test-utils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleCodeRunner } from './module';

// Starts a backend: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

describe('scaffolderModuleCodeRunner', () => {
  it('registers with the scaffolder actions extension point', async () => {
    const added: TemplateAction<any, any, any>[] = [];
    const addActions = jest.fn(
      (...actions: TemplateAction<any, any, any>[]) => {
        added.push(...actions);
      },
    );
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [scaffolderModuleCodeRunner],
    });
    expect(addActions).toHaveBeenCalledTimes(1);
    expect(added.every(action => action.id.startsWith('coderunner:'))).toBe(
      true,
    );
  });
});
