import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { startHelloNodeBackend } from '../__testUtils__/coderunnerBackend';

// Finding: a 200 KB `.env` import preview blocked the backend's event loop for 38 s (dotenv's
// regular expression backtracks over blank lines, and each entry's line number was counted
// from the start of the text), and previews were not rate limited. Now the text is read in
// one pass, is capped at coderunner.config.importMaxBytes, and previews count against the
// per-user preview limit. The first test is bounded only by its timeout (the old parser
// took 6 to 38 s on this text, the new one well under 1 s); the cap test is the one that
// fails deterministically on the old code.
jest.setTimeout(10_000);

const preview =
  '/api/coderunner/entities/component/default/hello-node/config/import/preview';

function startBackend(previewsPerMinute: number) {
  return startHelloNodeBackend(
    { environments: ['dev'], rateLimit: { previewsPerMinute } },
    [mockServices.permissions.factory({ result: AuthorizeResult.ALLOW })],
  );
}

/**
 * About 200 KB of short entries and one bad line: the layout that cost the old parser most
 * within the old 256 KB body limit (14 s on a quiet machine, 38 s when reported).
 */
function bigEnv() {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 200_000; i++) {
    lines.push(`V${i}=${i}`);
    size += lines[i].length + 1;
  }
  lines.push('not a variable');
  return {
    text: lines.join('\n'),
    lastLine: lines.length,
    variables: lines.length - 1,
  };
}

describe('import preview on a large .env', () => {
  let server: any;
  beforeAll(async () => {
    // The two tests before the last count two previews: under the limit.
    ({ server } = await startBackend(4));
  }, 60_000);

  it('answers with every entry and line number while /health stays responsive', async () => {
    const { text, lastLine, variables } = bigEnv();
    expect(text.length).toBeGreaterThan(200_000);
    const finished: string[] = [];
    const previewDone = request(server)
      .post(preview)
      .send({ scope: 'dev', format: 'env', content: text })
      .then(response => {
        finished.push('preview');
        return response;
      });
    const healthDone = request(server)
      .get('/api/coderunner/health')
      .then(response => {
        finished.push('health');
        return response;
      });
    const [answer, health] = await Promise.all([previewDone, healthDone]);
    // The backend has no AgentSphere API key, so it answers that it is not ready, and why.
    expect(health.body.message).toBe('Not ready: agentsphere failing');
    expect(finished).toEqual(['health', 'preview']);
    expect(answer.status).toBe(200);
    expect(answer.body.changes).toHaveLength(variables);
    expect(answer.body.changes[1]).toEqual({
      scope: 'dev',
      name: 'V1',
      value: '1',
      secret: false,
    });
    expect(answer.body.problems).toEqual([
      { line: lastLine, message: 'Not a NAME=value line: "not a variable"' },
    ]);
  });

  it('refuses an import over the cap, and a body far over it, with a 4xx naming the key', async () => {
    const over = await request(server)
      .post(preview)
      .send({
        scope: 'dev',
        format: 'env',
        content: `A=${'x'.repeat(256 * 1024)}`,
      });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toBe(
      'The import is 262146 bytes; the limit is 262144 bytes (coderunner.config.importMaxBytes). Split it into smaller imports.',
    );
    const huge = await request(server)
      .post(preview)
      .send({
        scope: 'dev',
        format: 'env',
        content: `A=${'x'.repeat(1024 * 1024)}`,
      });
    expect(huge.status).toBe(400);
    expect(huge.body.error.message).toBe(
      'The request body is 1048621 bytes; the limit is 589824 bytes. Config imports are at most 262144 bytes (coderunner.config.importMaxBytes).',
    );
  });

  it('counts previews against the per-user preview limit', async () => {
    // Nine calls within at most two one-minute windows: one window holds five or more.
    const statuses: number[] = [];
    let refused: request.Response | undefined;
    for (let i = 0; i < 9; i++) {
      const response = await request(server)
        .post(preview)
        .send({ scope: 'dev', format: 'env', content: 'A=1' });
      statuses.push(response.status);
      if (response.status === 429) refused = response;
    }
    expect(statuses.filter(s => s !== 200 && s !== 429)).toEqual([]);
    expect(refused?.body.error.message).toMatch(
      /^Too many previews: at most 4 a minute/,
    );
    expect(refused?.headers['retry-after']).toMatch(/^\d+$/);
  });
});
