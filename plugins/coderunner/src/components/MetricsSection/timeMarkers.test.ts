import { aRelease, englishTranslate } from '../../__testUtils__';
import { instanceCountMarkers, releaseMarkers } from './timeMarkers';

// The labels come from coderunnerTranslationRef: its English messages, as an app without
// translations shows them.
const t = englishTranslate();

const at = (minute: number) =>
  new Date(Date.UTC(2025, 4, 1, 10, minute)).toISOString();

describe('timeMarkers', () => {
  it('marks built releases when their build finished', () => {
    expect(
      releaseMarkers(
        [
          aRelease({ number: 2, builtAt: at(5) }),
          aRelease({ number: 3, status: 'failed', builtAt: undefined }),
        ],
        t,
      ),
    ).toEqual([
      {
        kind: 'release',
        at: Date.parse(at(5)),
        label: 'Release 2',
        short: '#2',
      },
    ]);
  });

  it('marks where the rounded ready instance count changes', () => {
    expect(
      instanceCountMarkers(
        [
          { at: at(0), value: 1 },
          { at: at(1), value: 1.2 },
          { at: at(2), value: 2 },
          { at: at(3), value: 2 },
          { at: at(4), value: 0.4 },
        ],
        t,
      ),
    ).toEqual([
      {
        kind: 'instances',
        at: Date.parse(at(2)),
        label: '2 ready',
        short: '×2',
      },
      {
        kind: 'instances',
        at: Date.parse(at(4)),
        label: '0 ready',
        short: '×0',
      },
    ]);
    expect(instanceCountMarkers([], t)).toEqual([]);
  });
});
