import { ResponseError } from '@backstage/errors';
import { englishTranslate } from '../__testUtils__/translations';
import { errorTitle } from './errorTitle';

const t = englishTranslate();

describe('errorTitle', () => {
  it("adds the backend's own message to a response error", async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'NotAllowedError', message: 'not allowed to read it' },
        request: { method: 'GET', url: '/api/coderunner/deployments' },
        response: { statusCode: 403 },
      }),
      {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'Content-Type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);

    expect(errorTitle(error, t)).toBe(
      'Request failed with 403 Forbidden: not allowed to read it',
    );
  });

  it('shows any other error by its message', () => {
    expect(errorTitle(new Error('offline'), t)).toBe('offline');
  });
});
