import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import { Suspense, useState } from 'react';
import { TerminalApi, terminalApiRef } from '../../api';
import { provideXtermBrowserApis } from '../../__testUtils__';
import { TerminalDialog } from './TerminalDialog';

beforeAll(provideXtermBrowserApis);

describe('TerminalDialog', () => {
  it('keeps its session while a Suspense boundary above it hides and shows the page again', async () => {
    const sessions: { closed: boolean }[] = [];
    const terminalApi: TerminalApi = {
      open(_request, handlers) {
        const session = { closed: false };
        sessions.push(session);
        setTimeout(() =>
          handlers.onReady({
            idleTimeoutSeconds: 900,
            maxSessionSeconds: 3600,
          }),
        );
        return {
          write: jest.fn(),
          resize: jest.fn(),
          close: () => {
            session.closed = true;
          },
        };
      },
    };
    // Another part of the page that loads its code later (a lazy component on its first render).
    let resolveCode: () => void = () => {};
    const code = new Promise<void>(resolve => {
      resolveCode = resolve;
    });
    let loaded = false;
    code.then(() => {
      loaded = true;
    });
    const Lazy = () => {
      if (!loaded) throw code;
      return <p>loaded part</p>;
    };
    let showLazy: () => void = () => {};
    const Page = () => {
      const [lazy, setLazy] = useState(false);
      showLazy = () => setLazy(true);
      return (
        <Suspense fallback={<p>loading</p>}>
          <TerminalDialog
            entityRef="component:default/hello-node"
            environment="development"
            instanceId="instance-ready01"
            onClose={() => {}}
          />
          {lazy && <Lazy />}
        </Suspense>
      );
    };

    await renderInTestApp(
      <TestApiProvider apis={[[terminalApiRef, terminalApi]]}>
        <Page />
      </TestApiProvider>,
    );
    expect(await screen.findByText(/^Connected/)).toBeInTheDocument();
    expect(sessions).toHaveLength(1);

    act(() => showLazy());
    expect(await screen.findByText('loading')).toBeInTheDocument();
    await act(async () => {
      resolveCode();
      await code;
    });
    expect(await screen.findByText('loaded part')).toBeInTheDocument();

    await waitFor(() => expect(screen.getByText(/^Connected/)).toBeVisible());
    expect(sessions).toEqual([{ closed: false }]);
  });
});
