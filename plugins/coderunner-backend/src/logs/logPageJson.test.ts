import { LogPage } from '@coderunner/plugin-coderunner-common';
import { logPageJson } from './logPageJson';

describe('logPageJson', () => {
  it('is the JSON of the page, tricky lines and absent fields included, and the same when read again', () => {
    const page: LogPage = {
      items: [
        {
          seq: 7,
          stream: 'stderr',
          line: '{"json": "with \\"quotes\\""} </script> \u2028 tab\t emoji 🚀 nul \u0000',
          createdAt: '2026-11-30T12:00:00.000Z',
          level: 'error',
          releaseId: 'r1',
          instanceId: 'i1',
        },
        {
          seq: 8,
          stream: 'stdout',
          line: '',
          createdAt: '2026-11-30T12:00:00.001Z',
          level: undefined,
        },
      ],
      lastSeq: 8,
    };
    const text = logPageJson(page);
    expect(text).toBe(JSON.stringify(page));
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(page)));
    expect(logPageJson(page)).toBe(text);
    expect(logPageJson({ items: [], lastSeq: 0 })).toBe(
      JSON.stringify({ items: [], lastSeq: 0 }),
    );
  });
});
