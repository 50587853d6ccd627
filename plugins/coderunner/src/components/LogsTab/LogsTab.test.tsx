import { ResponseError } from '@backstage/errors';
import { ApiRef, errorApiRef } from '@backstage/core-plugin-api';
import { translationApiRef } from '@backstage/core-plugin-api/alpha';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  LogLine,
  StreamServerMessage,
} from '@coderunner/plugin-coderunner-common';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { coderunnerApiRef, LogsApi, logsApiRef, LogsClient } from '../../api';
import {
  componentEntity,
  fakeCodeRunnerApi,
  keyTranslationApi,
  setupWithManifest,
  setupWithoutManifest,
} from '../../__testUtils__';
import { LogsTab } from './LogsTab';

/**
 * jsdom has no layout: the sizer gives the windowed list a size. Like the real AutoSizer it
 * renders nothing until it has measured; a test can hold the measurement back.
 */
const mockSizer = { measured: true, measure: () => {} };
jest.mock('react-virtualized-auto-sizer', () => {
  const { useEffect, useState } = jest.requireActual('react');
  return ({
    children,
  }: {
    children: (size: { width: number; height: number }) => unknown;
  }) => {
    const [measured, setMeasured] = useState(mockSizer.measured);
    useEffect(() => {
      mockSizer.measure = () => setMeasured(true);
    }, []);
    return measured ? children({ width: 800, height: 560 }) : null;
  };
});

/** Stands in for the browser's WebSocket; the test plays the server. */
class FakeSocket {
  static last?: FakeSocket;
  readonly sent: any[] = [];
  onopen?: () => void;
  onmessage?: (event: { data: string }) => void;
  onclose?: () => void;
  constructor(readonly url: string, readonly protocols: string[]) {
    FakeSocket.last = this;
    setTimeout(() => this.onopen?.(), 0);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {}
  serve(message: StreamServerMessage) {
    act(() => this.onmessage?.({ data: JSON.stringify(message) }));
  }
}

/**
 * The tab's live socket once it subscribed, having served `items` as the stream's lines so far
 * (the subscription's cursor at the last of them).
 */
async function serveLive(items: LogLine[]) {
  const socket = await subscribedSocket();
  const lastSeq = items[items.length - 1].seq;
  socket.serve({ type: 'subscribed', id: 'logs', deploymentId: 'd1', lastSeq });
  socket.serve({ type: 'lines', id: 'logs', lastSeq, items });
  return socket;
}

async function renderLogsTab(
  setup = setupWithManifest,
  extra: Record<string, unknown> = {},
  logs: Partial<LogsApi> = {},
  apis: [ApiRef<object>, object][] = [],
) {
  const api = fakeCodeRunnerApi(setup);
  (api as any).listDeployments = jest.fn(async () => []);
  (api as any).listReleases = jest.fn(async () => []);
  Object.assign(api, extra);
  // The live stream is the real client on the fake socket; history calls are the test's.
  const logsClient = new LogsClient({
    discoveryApi: {
      getBaseUrl: async () => 'http://localhost:7007/api/coderunner',
    },
    identityApi: mockApis.identity({ token: 'user-token' }),
    fetchApi: { fetch: jest.fn() },
  });
  const logsApi: LogsApi = {
    follow: (request, handlers) => logsClient.follow(request, handlers),
    search: jest.fn(),
    download: jest.fn(),
    ...logs,
  };
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [coderunnerApiRef, api],
        [logsApiRef, logsApi],
        [errorApiRef, { post: jest.fn(), error$: jest.fn() }],
        ...apis,
      ]}
    >
      <EntityProvider entity={componentEntity}>
        <LogsTab />
      </EntityProvider>
    </TestApiProvider>,
  );
}

/**
 * The socket the tab opened, once it has sent its subscription: the server answers only after
 * that, however long the client took to open it.
 */
async function subscribedSocket() {
  await waitFor(() => expect(FakeSocket.last?.sent.length).toBeGreaterThan(0));
  return FakeSocket.last!;
}

const line = (seq: number, text: string, stream = 'stdout') =>
  ({ seq, line: text, stream, createdAt: new Date().toISOString() } as any);

describe('LogsTab', () => {
  beforeEach(() => {
    mockSizer.measured = true;
    FakeSocket.last = undefined;
    (global as any).WebSocket = FakeSocket;
    (global as any).requestAnimationFrame = (fn: () => void) =>
      setTimeout(fn, 0);
    (global as any).cancelAnimationFrame = (id: any) => clearTimeout(id);
  });

  it('subscribes with the Backstage token, shows lines live with ANSI colours', async () => {
    await renderLogsTab();
    await screen.findByTestId('log-lines');
    const socket = await subscribedSocket();
    expect(socket.url).toBe('ws://localhost:7007/api/coderunner/stream');
    expect(socket.protocols).toEqual(['coderunner.v1', 'user-token']);
    expect(socket.sent[0]).toMatchObject({
      type: 'subscribe',
      topic: 'logs',
      entityRef: 'component:default/hello-node',
      environment: 'development',
    });
    socket.serve({
      type: 'subscribed',
      id: 'logs',
      deploymentId: 'd1',
      lastSeq: 0,
    });
    socket.serve({
      type: 'lines',
      id: 'logs',
      lastSeq: 3,
      items: [
        line(1, 'tick 1'),
        line(2, '\u001b[31mERROR\u001b[0m tock'),
        line(3, 'tick 3'),
      ],
    });
    expect(await screen.findByText('Live')).toBeInTheDocument();
    expect(await screen.findByText('tock')).toBeInTheDocument();
    expect(screen.getByText('ERROR')).toHaveStyle({ color: 'rgb(187, 0, 0)' });
  });

  it('says what the backend refused in a search, and keeps the lines shown', async () => {
    const message = 'request/query/q must NOT have more than 200 characters';
    const search = jest.fn().mockRejectedValue(
      await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'InputError', message },
            response: { statusCode: 400 },
          }),
          {
            status: 400,
            statusText: 'Bad Request',
            headers: { 'Content-Type': 'application/json' },
          },
        ),
      ),
    );
    await renderLogsTab(setupWithManifest, {}, { search });
    await screen.findByTestId('log-lines');
    await serveLive([line(1, 'tick 1'), line(2, 'tick 2')]);
    expect(await screen.findByText('2 lines')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Search logs'), {
      target: { value: 'x'.repeat(250) },
    });
    await waitFor(() =>
      expect(screen.getByTestId('search-count')).toHaveTextContent(
        `Search failed: Request failed with 400 Bad Request: ${message}`,
      ),
    );
    expect(screen.getByText('2 lines')).toBeInTheDocument();
    expect(screen.getByText('tick 2')).toBeInTheDocument();
  });

  it('searches the whole history on the server and shows each match with the lines around it', async () => {
    const history = Array.from({ length: 1000 }, (_, i) =>
      line(i + 1, i % 100 === 41 ? `tick ${i + 1}` : `other ${i + 1}`),
    );
    const search = jest.fn(
      async (_ref: string, _env: string, text: string) => ({
        seqs: history.filter(l => l.line.includes(text)).map(l => l.seq),
      }),
    );
    const readDeploymentLogs = jest.fn(
      async (
        _ref: string,
        _env: string,
        query: { after?: number; limit: number; since?: string },
      ) => {
        if (query.since) {
          const first = history.find(l => l.createdAt >= query.since!);
          return { items: first ? [first] : [], lastSeq: 1000 };
        }
        const after = query.after ?? 0;
        return {
          items: history.filter(l => l.seq > after).slice(0, query.limit),
          lastSeq: after + query.limit,
        };
      },
    );
    await renderLogsTab(setupWithManifest, { readDeploymentLogs }, { search });
    await screen.findByTestId('log-lines');
    await serveLive(history.slice(990));
    expect(await screen.findByText('10 lines')).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Search logs'), {
      target: { value: 'tick' },
    });
    expect(await screen.findByText('1 of 10')).toBeInTheDocument();
    expect(search).toHaveBeenCalledWith(
      'component:default/hello-node',
      'development',
      'tick',
      expect.objectContaining({ limit: 10_000 }),
    );
    // The first match, 42, with up to 100 lines before and after it, read from the history.
    expect(
      await screen.findByText(/Lines 1–142 of the history/),
    ).toBeInTheDocument();
    expect(readDeploymentLogs).toHaveBeenCalledWith(
      'component:default/hello-node',
      'development',
      expect.objectContaining({ after: 0, limit: 142 }),
    );
    fireEvent.click(screen.getByLabelText('Next match'));
    expect(await screen.findByText('2 of 10')).toBeInTheDocument();
    expect(
      await screen.findByText(/Lines 42–242 of the history/),
    ).toBeInTheDocument();
    // The match is on screen, highlighted.
    const marks = await screen.findAllByText('tick', { selector: 'mark' });
    expect(marks.map(mark => mark.parentElement?.textContent)).toContain(
      'tick 142',
    );

    // Back to the tail: following again, the live lines shown.
    fireEvent.click(
      screen.getByRole('button', { name: 'Back to the live tail' }),
    );
    expect(await screen.findByText('10 lines')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Following' }),
    ).toBeInTheDocument();

    // Jump to a time: the first line written at or after it, with its context.
    // (Every other line is older: "at or after" picks line 500.)
    for (const l of history) l.createdAt = '2026-11-30T10:00:00.000Z';
    history[499].createdAt = new Date('2026-12-01T10:00:00').toISOString();
    fireEvent.change(screen.getByLabelText('Jump to time'), {
      target: { value: '2026-12-01T10:00:00' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Go' }));
    expect(
      await screen.findByText(/Lines 400–600 of the history/),
    ).toBeInTheDocument();
    expect(readDeploymentLogs).toHaveBeenCalledWith(
      'component:default/hello-node',
      'development',
      expect.objectContaining({
        limit: 1,
        since: new Date('2026-12-01T10:00:00').toISOString(),
      }),
    );
  });

  it('loads the lines before the streamed tail from the history API, with the same filter', async () => {
    const readDeploymentLogs = jest.fn(
      async (
        _ref: string,
        _env: string,
        query: { after: number; limit: number },
      ) => ({
        items: Array.from({ length: query.limit }, (_, i) =>
          line(query.after + i + 1, `old ${query.after + i + 1}`),
        ),
        lastSeq: query.after + query.limit,
      }),
    );
    await renderLogsTab(setupWithManifest, { readDeploymentLogs });
    await screen.findByTestId('log-lines');
    await serveLive([line(7001, 'new 7001'), line(7002, 'new 7002')]);
    expect(await screen.findByText('2 lines')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Load earlier lines' }));
    expect(await screen.findByText('5,002 lines')).toBeInTheDocument();
    expect(readDeploymentLogs).toHaveBeenCalledWith(
      'component:default/hello-node',
      'development',
      expect.objectContaining({ after: 2000, limit: 5000 }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Load earlier lines' }));
    expect(await screen.findByText('7,002 lines')).toBeInTheDocument();
    expect(readDeploymentLogs).toHaveBeenLastCalledWith(
      'component:default/hello-node',
      'development',
      expect.objectContaining({ after: 0, limit: 2000 }),
    );
    // Everything from line 1 is here: nothing earlier to load.
    expect(
      screen.queryByRole('button', { name: 'Load earlier lines' }),
    ).not.toBeInTheDocument();
  });

  it('hides "Load earlier lines" once the history has nothing before the first line shown', async () => {
    const readDeploymentLogs = jest.fn(async () => ({
      items: [],
      lastSeq: 15,
    }));
    await renderLogsTab(setupWithManifest, { readDeploymentLogs });
    await screen.findByTestId('log-lines');
    await serveLive([line(16, 'WARN tick 10', 'stderr')]);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Load earlier lines' }),
    );
    // Until the history has answered the button says "Loading…"; then it is gone.
    await waitFor(() =>
      expect(
        screen.queryByRole('button', {
          name: /^(Load earlier lines|Loading…)$/,
        }),
      ).not.toBeInTheDocument(),
    );
    expect(readDeploymentLogs).toHaveBeenCalledTimes(1);
    expect(readDeploymentLogs).toHaveBeenCalledWith(
      'component:default/hello-node',
      'development',
      expect.objectContaining({ after: 0, limit: 15 }),
    );
    expect(
      screen.queryByRole('button', { name: 'Load earlier lines' }),
    ).not.toBeInTheDocument();
  });

  it('follows the tail when the streamed tail arrives before the list is first laid out', async () => {
    mockSizer.measured = false;
    await renderLogsTab();
    const socket = await subscribedSocket();
    socket.serve({
      type: 'subscribed',
      id: 'logs',
      deploymentId: 'd1',
      lastSeq: 3000,
    });
    for (let from = 1; from <= 3000; from += 1000) {
      const items = Array.from({ length: 1000 }, (_, i) =>
        line(from + i, `line ${from + i}`),
      );
      socket.serve({ type: 'lines', id: 'logs', lastSeq: from + 999, items });
    }
    expect(await screen.findByText('3,000 lines')).toBeInTheDocument();
    // The list mounts now, with the whole tail in it (react-window reports its first position).
    act(() => mockSizer.measure());
    expect(await screen.findByText('line 3000')).toBeInTheDocument();
    await act(async () => new Promise(r => setTimeout(r, 20)));
    // A quiet deployment: nothing more arrives, and nothing is pending.
    expect(
      screen.getByRole('button', { name: 'Following' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/new lines/)).not.toBeInTheDocument();
  });

  it('keeps following when the browser scrolls by itself, and pauses when the user scrolls up', async () => {
    await renderLogsTab();
    const socket = await subscribedSocket();
    socket.serve({
      type: 'subscribed',
      id: 'logs',
      deploymentId: 'd1',
      lastSeq: 2000,
    });
    socket.serve({
      type: 'lines',
      id: 'logs',
      lastSeq: 2000,
      items: Array.from({ length: 2000 }, (_, i) =>
        line(i + 1, `line ${i + 1}`),
      ),
    });
    expect(await screen.findByText('line 2000')).toBeInTheDocument();
    // jsdom has no scrolling: the list's scroll position is ours to set.
    const outer = screen.getByTestId('log-lines')
      .firstElementChild as HTMLElement;
    let top = 0;
    Object.defineProperty(outer, 'scrollTop', {
      configurable: true,
      get: () => top,
      set: v => (top = v),
    });
    const scrollTo = async (offset: number) => {
      top = offset;
      fireEvent.scroll(outer);
      await act(async () => new Promise(r => setTimeout(r, 20)));
    };

    // Moved up with no input of the user's (scroll anchoring, a list growing): still following.
    await scrollTo(0);
    expect(
      screen.getByRole('button', { name: 'Following' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('line 2000')).toBeInTheDocument();

    // The user's wheel, then the scroll it caused: paused, and what arrives next is counted.
    fireEvent.wheel(screen.getByTestId('log-lines'));
    await scrollTo(0);
    expect(screen.getByRole('button', { name: 'Paused' })).toBeInTheDocument();
    socket.serve({
      type: 'lines',
      id: 'logs',
      lastSeq: 2003,
      items: [line(2001, 'a'), line(2002, 'b'), line(2003, 'c')],
    });
    expect(await screen.findByText('3 new lines')).toBeInTheDocument();
  });

  it('says the environment is not deployed yet', async () => {
    await renderLogsTab();
    await screen.findByTestId('log-lines');
    (await subscribedSocket()).serve({
      type: 'error',
      id: 'logs',
      code: 'not-found',
      message: 'not deployed',
    });
    expect(
      await screen.findByText('Not deployed to development yet'),
    ).toBeInTheDocument();
    // Nothing to search, and no connection to report: no "Search failed … 404", no "Reconnecting…".
    fireEvent.change(screen.getByLabelText('Search logs'), {
      target: { value: 'anything' },
    });
    expect(screen.getByTestId('search-count')).toHaveTextContent(/^$/);
    expect(screen.queryByText(/Reconnecting|Connecting/)).toBeNull();
  });

  it("shows the app's wording of its text, from coderunnerTranslationRef", async () => {
    // An app's translation: every message by its key, with its values.
    const translationApi = keyTranslationApi();
    await renderLogsTab(setupWithManifest, {}, {}, [
      [translationApiRef, translationApi],
    ]);
    expect(
      await screen.findByRole('button', { name: '«logsTab.following»' }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('«logsTab.search.ariaLabel»')).toBeVisible();
    (await subscribedSocket()).serve({
      type: 'error',
      id: 'logs',
      code: 'not-found',
      message: 'not deployed',
    });
    expect(
      await screen.findByText(
        '«logsTab.notDeployed.title {"environment":"development"}»',
      ),
    ).toBeInTheDocument();
  });

  it("words the connection state and the line count in the app's translation", async () => {
    // An app's translation: every message by its key, with its values.
    const translationApi = keyTranslationApi();
    await renderLogsTab(setupWithManifest, {}, {}, [
      [translationApiRef, translationApi],
    ]);
    const socket = await subscribedSocket();
    socket.serve({
      type: 'subscribed',
      id: 'logs',
      deploymentId: 'd1',
      lastSeq: 0,
    });
    socket.serve({
      type: 'lines',
      id: 'logs',
      lastSeq: 2,
      items: [line(1, 'tick 1'), line(2, 'tick 2')],
    });
    expect(
      await screen.findByText('«logsTab.connection.live»'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('«logsTab.lines.shown {"lines":"2"}»'),
    ).toBeInTheDocument();
  });

  it('says how to add a manifest when there is none', async () => {
    await renderLogsTab(setupWithoutManifest);
    expect(
      await screen.findByText('This component has no coderunner.yaml'),
    ).toBeInTheDocument();
  });
});
