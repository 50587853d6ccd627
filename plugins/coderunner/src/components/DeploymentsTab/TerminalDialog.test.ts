import { englishTranslate } from '../../__testUtils__/translations';
import { ended } from './TerminalDialog';

const t = englishTranslate();

describe('ended', () => {
  it("words the client's own reasons from the translation, not the client's message", () => {
    const message = 'whatever the client said';
    expect(
      ended({ reason: 'error', message, problem: { kind: 'lost' } }, t),
    ).toEqual({
      severity: 'error',
      message: 'The connection to the terminal was lost',
    });
    expect(
      ended(
        {
          reason: 'error',
          message,
          problem: { kind: 'lost', detail: 'going away' },
        },
        t,
      ).message,
    ).toBe('The connection to the terminal was lost: going away');
    expect(
      ended(
        {
          reason: 'unavailable',
          message,
          problem: { kind: 'not-opened', detail: 'TypeError: offline' },
        },
        t,
      ).message,
    ).toBe('Could not open the terminal: TypeError: offline');
    expect(
      ended(
        {
          reason: 'unavailable',
          message,
          problem: { kind: 'closed-before-open' },
        },
        t,
      ).message,
    ).toBe('The terminal connection closed before it opened; try again');
    expect(
      ended(
        {
          reason: 'unavailable',
          message,
          problem: { kind: 'unreachable', detail: 'TypeError: offline' },
        },
        t,
      ).message,
    ).toBe('Could not reach CodeRunner: TypeError: offline');
  });

  it("shows the backend's own words as they are, and says whose they are on a refusal", () => {
    expect(
      ended({ reason: 'idle-timeout', message: 'Closed after 900 s' }, t),
    ).toEqual({ severity: 'warning', message: 'Closed after 900 s' });
    expect(ended({ reason: 'forbidden', message: 'not allowed' }, t)).toEqual({
      severity: 'error',
      message: 'Not allowed (403): not allowed',
    });
  });
});
