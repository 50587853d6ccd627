import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fakeCodeRunnerApi,
  renderWithEntity,
  setupWithManifest,
  setupWithoutManifest,
} from '../../__testUtils__';
import { ConfigApi, configApiRef } from '../../api';
import { ConfigTab } from './ConfigTab';

const client: Partial<ConfigApi> = {
  getConfig: jest.fn(async () => ({
    entityRef: 'component:default/hello-node',
    version: 1,
    overrideOrder: ['manifest', 'shared', 'environment', 'platform'],
    scopes: {
      shared: [],
      development: [
        {
          name: 'GREETING',
          secret: false,
          value: 'hi',
          updatedBy: 'user:default/ada',
          updatedAt: '2026-01-01T00:00:00Z',
          version: 1,
        },
        {
          name: 'API_TOKEN',
          secret: true,
          fingerprint: 'abc123def456',
          updatedBy: 'user:default/ada',
          updatedAt: '2026-01-01T00:00:00Z',
          version: 1,
        },
      ],
    },
  })),
  listVersions: jest.fn(async () => []),
  listAudit: jest.fn(async () => []),
  encryptionStatus: jest.fn(async () => ({
    activeKeyId: '2026-11',
    developmentKey: false,
    keys: [
      { id: '2026-01', active: false, values: 3 },
      { id: '2026-11', active: true, values: 7 },
    ],
    totalValues: 10,
    valuesOnActiveKey: 7,
    rotation: { running: true },
  })),
  previewImport: jest.fn(async () => ({
    changes: [
      { scope: 'development', name: 'LOG_LEVEL', value: 'info', secret: false },
    ],
    entries: [
      {
        scope: 'development',
        name: 'LOG_LEVEL',
        change: 'added' as const,
        secret: false,
        after: 'info',
      },
    ],
    unchanged: ['GREETING'],
    problems: [
      {
        line: 2,
        message:
          '"9LIVES" is not a valid name: use letters, digits and _, not starting with a digit',
      },
    ],
  })),
  diff: jest.fn(async () => ({
    from: 0,
    to: 1,
    entries: [
      {
        scope: 'development',
        name: 'GREETING',
        change: 'added' as const,
        secret: false,
        after: 'hi',
      },
    ],
  })),
  rollback: jest.fn(async () => ({
    version: {
      version: 3,
      author: 'u',
      createdAt: '',
      scopes: ['development'],
      changes: [],
      rollbackOf: 1,
    },
    applied: [],
    pending: ['development'],
  })),
  saveChanges: jest.fn(async () => ({
    version: {
      version: 2,
      author: 'u',
      createdAt: '',
      scopes: ['development'],
      changes: [],
    },
    applied: [{ environment: 'development', releaseNumber: 3 }],
    pending: [],
  })),
};

/** The Config tab on the test's Config API. */
function ConfigTabOnClient() {
  return (
    <TestApiProvider apis={[[configApiRef, client]]}>
      <ConfigTab />
    </TestApiProvider>
  );
}

describe('ConfigTab', () => {
  it('shows plain values, secrets only as set, and saves a new secret with apply', async () => {
    await renderWithEntity(
      <ConfigTabOnClient />,
      fakeCodeRunnerApi(setupWithManifest),
    );

    expect(await screen.findByText('hi')).toBeInTheDocument();
    expect(screen.getByText('secret · set · abc123def456')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Add variable' }));
    fireEvent.change(screen.getByLabelText('Name'), {
      target: { value: 'PORT' },
    });
    expect(await screen.findByText(/PORT is reserved/)).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Name'), {
      target: { value: 'DATABASE_URL' },
    });
    fireEvent.click(screen.getByRole('checkbox'));
    fireEvent.change(screen.getByLabelText('Value'), {
      target: { value: 'postgres://secret' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add to changes' }));
    expect(screen.queryByText('postgres://secret')).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Save and apply' }));
    await waitFor(() =>
      expect(client.saveChanges).toHaveBeenCalledWith(
        'component:default/hello-node',
        {
          changes: [
            {
              scope: 'development',
              name: 'DATABASE_URL',
              value: 'postgres://secret',
              secret: true,
            },
          ],
          apply: true,
          expectedVersion: 1,
          message: undefined,
        },
      ),
    );
  });

  it('shows the active key and the progress of a key rotation', async () => {
    await renderWithEntity(
      <ConfigTabOnClient />,
      fakeCodeRunnerApi(setupWithManifest),
    );
    const status = await screen.findByTestId('coderunner-encryption-status');
    expect(status).toHaveTextContent('under key 2026-11 (2 keys configured)');
    expect(status).toHaveTextContent(
      'Re-encrypting under 2026-11: 7 of 10 values (70%)',
    );
    expect(
      screen.getByRole('progressbar', { name: 'Key rotation progress' }),
    ).toHaveAttribute('aria-valuenow', '70');
    expect(status).not.toHaveTextContent('development key');
  });

  it('previews an import with each bad line by number, and adds the good lines to the changes', async () => {
    await renderWithEntity(
      <ConfigTabOnClient />,
      fakeCodeRunnerApi(setupWithManifest),
    );
    await screen.findByText('hi');
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    const text = 'LOG_LEVEL=info\n9LIVES=x\nGREETING=hi\n';
    fireEvent.change(screen.getByLabelText('Content'), {
      target: { value: text },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect(
      await screen.findByText(
        'Line 2: "9LIVES" is not a valid name: use letters, digits and _, not starting with a digit',
      ),
    ).toBeInTheDocument();
    expect(client.previewImport).toHaveBeenCalledWith(
      'component:default/hello-node',
      {
        scope: 'development',
        format: 'env',
        content: text,
        secret: undefined,
        mode: 'merge',
      },
    );
    expect(screen.getByText('now "info"')).toBeInTheDocument();
    expect(screen.getByText('Unchanged: GREETING')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Add 1 to changes' }));
    expect(
      await screen.findByText('1 unsaved change: LOG_LEVEL (development)'),
    ).toBeInTheDocument();
  });

  it('shows what a version changed and rolls back to it as a new version', async () => {
    (client.listVersions as jest.Mock).mockResolvedValueOnce([
      {
        version: 2,
        author: 'user:default/bob',
        createdAt: '2026-01-02T00:00:00Z',
        scopes: ['development'],
        changes: [
          { scope: 'development', name: 'GREETING', change: 'changed' },
        ],
      },
      {
        version: 1,
        author: 'user:default/ada',
        createdAt: '2026-01-01T00:00:00Z',
        scopes: ['development'],
        changes: [{ scope: 'development', name: 'GREETING', change: 'added' }],
      },
    ]);
    await renderWithEntity(
      <ConfigTabOnClient />,
      fakeCodeRunnerApi(setupWithManifest),
    );
    expect(
      await screen.findByText('GREETING (development, changed)'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getAllByRole('button', { name: 'Diff' })[1]);
    expect(
      await screen.findByText('Version 1 compared with 0'),
    ).toBeInTheDocument();
    expect(client.diff).toHaveBeenCalledWith(
      'component:default/hello-node',
      0,
      1,
    );
    expect(screen.getByText('now "hi"')).toBeInTheDocument();
    fireEvent.click(
      screen.getByRole('button', { name: 'Roll back to this version' }),
    );
    // Asked first: cancelling sends nothing and leaves the diff open.
    let confirm = within(
      await screen.findByRole('dialog', { name: 'Roll back to version 1' }),
    );
    expect(
      confirm.getByText('Make version 1 current again, as a new version?'),
    ).toBeInTheDocument();
    fireEvent.click(confirm.getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Roll back to version 1' }),
      ).not.toBeInTheDocument(),
    );
    expect(client.rollback).not.toHaveBeenCalled();
    expect(screen.getByText('Version 1 compared with 0')).toBeInTheDocument();

    fireEvent.click(
      screen.getByRole('button', { name: 'Roll back to this version' }),
    );
    confirm = within(
      await screen.findByRole('dialog', { name: 'Roll back to version 1' }),
    );
    fireEvent.click(confirm.getByRole('button', { name: 'Roll back' }));
    await waitFor(() =>
      expect(client.rollback).toHaveBeenCalledWith(
        'component:default/hello-node',
        1,
        false,
      ),
    );
    // Saved but not applied: the tab offers to apply it.
    expect(
      await screen.findByText(
        'Version 3 is saved but not running in development.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('shows why a roll back failed in its confirmation, which stays open', async () => {
    (client.listVersions as jest.Mock).mockResolvedValueOnce([
      {
        version: 2,
        author: 'user:default/bob',
        createdAt: '2026-01-02T00:00:00Z',
        scopes: ['development'],
        changes: [],
      },
      {
        version: 1,
        author: 'user:default/ada',
        createdAt: '2026-01-01T00:00:00Z',
        scopes: ['development'],
        changes: [],
      },
    ]);
    (client.rollback as jest.Mock).mockRejectedValueOnce(
      new Error('Version 2 is no longer current: reload and try again'),
    );
    await renderWithEntity(
      <ConfigTabOnClient />,
      fakeCodeRunnerApi(setupWithManifest),
    );
    fireEvent.click(
      (await screen.findAllByRole('button', { name: 'Diff' }))[1],
    );
    fireEvent.click(
      await screen.findByRole('button', { name: 'Roll back to this version' }),
    );
    const confirm = within(
      await screen.findByRole('dialog', { name: 'Roll back to version 1' }),
    );
    fireEvent.click(confirm.getByRole('button', { name: 'Roll back' }));
    expect(
      await confirm.findByText(
        'Version 2 is no longer current: reload and try again',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('dialog', { name: 'Roll back to version 1' }),
    ).toBeInTheDocument();
  });

  it('asks before revealing a secret, then shows its value', async () => {
    const reveal = jest.fn(async () => 'tok-123');
    Object.assign(client, { reveal });
    await renderWithEntity(
      <ConfigTabOnClient />,
      fakeCodeRunnerApi(setupWithManifest),
    );
    await screen.findByText('hi');
    const editor = screen.getByTestId('coderunner-config-editor');
    const revealButton = () =>
      within(editor).getByRole('button', { name: 'Reveal' });
    await waitFor(() => expect(revealButton()).toBeEnabled());

    fireEvent.click(revealButton());
    let confirm = within(
      await screen.findByRole('dialog', { name: 'Reveal API_TOKEN' }),
    );
    fireEvent.click(confirm.getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(reveal).not.toHaveBeenCalled();

    fireEvent.click(revealButton());
    confirm = within(
      await screen.findByRole('dialog', { name: 'Reveal API_TOKEN' }),
    );
    fireEvent.click(confirm.getByRole('button', { name: 'Reveal' }));
    const shown = within(
      await screen.findByRole('dialog', { name: 'API_TOKEN' }),
    );
    expect(shown.getByText('tok-123')).toBeInTheDocument();
    expect(reveal).toHaveBeenCalledWith(
      'component:default/hello-node',
      'development',
      'API_TOKEN',
    );
    fireEvent.click(shown.getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('lets a user who may only read see the variables, and says why they cannot change or reveal them', async () => {
    await renderWithEntity(
      <ConfigTabOnClient />,
      fakeCodeRunnerApi(setupWithManifest),
      undefined,
      mockApis.permission({
        authorize: request =>
          request.permission.name === 'coderunner.config.read'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      }),
    );
    expect(await screen.findByText('hi')).toBeInTheDocument();

    const editor = screen.getByTestId('coderunner-config-editor');
    const actions = [
      'Add variable',
      'Edit as .env',
      'Templates',
      'Import',
      'Reveal',
      'Save without applying',
      'Save and apply',
    ];
    for (const name of actions) {
      await waitFor(() =>
        expect(within(editor).getByRole('button', { name })).toBeDisabled(),
      );
    }
    for (const button of within(editor).getAllByRole('button', {
      name: /^(Edit|Delete)$/,
    })) {
      expect(button).toBeDisabled();
    }
    await userEvent.hover(
      within(editor).getByRole('button', { name: 'Reveal' }).parentElement!,
    );
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Only the owners of this component (and CodeRunner operators) may see secret values',
    );

    // Export stays: reading config is allowed; secret values are not on offer.
    fireEvent.click(within(editor).getByRole('button', { name: 'Export' }));
    const dialog = within(await screen.findByRole('dialog'));
    expect(dialog.getByRole('checkbox')).toBeDisabled();
    expect(
      dialog.getByText(
        'Include secret values: Only the owners of this component (and CodeRunner operators) may see secret values',
      ),
    ).toBeInTheDocument();
  });

  it('offers changes and reveal to a user who may write config and reveal secrets', async () => {
    await renderWithEntity(
      <ConfigTabOnClient />,
      fakeCodeRunnerApi(setupWithManifest),
    );
    await screen.findByText('hi');
    const editor = screen.getByTestId('coderunner-config-editor');
    for (const name of [
      'Add variable',
      'Edit as .env',
      'Templates',
      'Import',
      'Reveal',
    ]) {
      await waitFor(() =>
        expect(within(editor).getByRole('button', { name })).toBeEnabled(),
      );
    }
  });

  it('says how to add a manifest when there is none', async () => {
    await renderWithEntity(
      <ConfigTabOnClient />,
      fakeCodeRunnerApi(setupWithoutManifest),
    );
    expect(
      await screen.findByText('This component has no coderunner.yaml'),
    ).toBeInTheDocument();
  });
});
