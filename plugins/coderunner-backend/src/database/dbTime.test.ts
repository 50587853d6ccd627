import { toIso, toIsoRun } from './dbTime';

describe('toIso', () => {
  // SQLite's text form is rewritten, not parsed: a JavaScript Date would read it as local time
  // (`TZ=America/New_York node -e "new Date('2026-11-30 15:27:55').toISOString()"` gives 20:27).
  it("reads SQLite's text timestamps as UTC, and every other form as a Date does", () => {
    expect(toIso('2026-11-30 15:27:55')).toBe('2026-11-30T15:27:55.000Z');
    expect(toIso(new Date(Date.UTC(2026, 10, 30, 15, 27, 55, 123)))).toBe(
      '2026-11-30T15:27:55.123Z',
    );
    expect(toIso(1_796_052_475_123 as unknown as string)).toBe(
      new Date(1_796_052_475_123).toISOString(),
    );
    expect(toIso('2026-11-30T15:27:55.5+01:00')).toBe(
      '2026-11-30T14:27:55.500Z',
    );
  });

  it("rewrites PostgreSQL's UTC text to the millisecond, and parses any other offset", () => {
    expect(toIso('2026-11-30 15:27:55.123456+00')).toBe(
      '2026-11-30T15:27:55.123Z',
    );
    expect(toIso('2026-11-30 15:27:55.5+00')).toBe('2026-11-30T15:27:55.500Z');
    expect(toIso('2026-11-30 15:27:55+00')).toBe('2026-11-30T15:27:55.000Z');
    expect(toIso('2026-11-30 15:27:55.25+05:30')).toBe(
      '2026-11-30T09:57:55.250Z',
    );
    expect(toIso('2026-11-30 15:27:55-08')).toBe('2026-11-30T23:27:55.000Z');
  });

  it('converts a run of repeated timestamps, and every change in it', () => {
    const iso = toIsoRun();
    const a = new Date(Date.UTC(2026, 0, 1));
    expect(
      [a, new Date(a), '2026-01-01 00:00:01', '2026-01-01 00:00:01', a].map(
        iso,
      ),
    ).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:01.000Z',
      '2026-01-01T00:00:01.000Z',
      '2026-01-01T00:00:00.000Z',
    ]);
  });
});
