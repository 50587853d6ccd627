import { ReadinessCheck } from './ReadinessCheck';

describe('ReadinessCheck', () => {
  it('answers even when a component hangs, naming it failing', async () => {
    const check = new ReadinessCheck(
      [
        { name: 'fine', check: () => ({ status: 'ok', detail: 'fine' }) },
        { name: 'stuck', check: () => new Promise(() => {}) },
      ],
      50,
    );
    expect(await check.run()).toEqual({
      status: 'failing',
      components: {
        fine: { status: 'ok', detail: 'fine' },
        stuck: { status: 'failing', detail: 'no answer within 0.05 s' },
      },
    });
  });

  it('shows only the error code of a component that throws, never its message', async () => {
    const error = Object.assign(
      new Error(
        'connect ECONNREFUSED db.internal.example:5432 password=hunter2',
      ),
      { code: 'ECONNREFUSED' },
    );
    const check = new ReadinessCheck([
      {
        name: 'database',
        check: async () => {
          throw error;
        },
      },
    ]);
    const report = await check.run();
    expect(report.components.database).toEqual({
      status: 'failing',
      detail: 'the check failed (ECONNREFUSED)',
    });
    expect(JSON.stringify(report)).not.toContain('internal');
  });

  it('lets concurrent callers share one run', async () => {
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>(resolve => (release = resolve));
    const check = new ReadinessCheck([
      {
        name: 'database',
        check: async () => {
          runs += 1;
          await gate;
          return { status: 'ok', detail: 'ok' };
        },
      },
    ]);
    const answers = [check.run(), check.run(), check.run()];
    release();
    expect(new Set(await Promise.all(answers)).size).toBe(1);
    expect(runs).toBe(1);
    await check.run();
    expect(runs).toBe(2);
  });
});
