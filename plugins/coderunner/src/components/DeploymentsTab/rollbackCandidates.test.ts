import { Deployment, Release } from '@coderunner/plugin-coderunner-common';
import { rollbackCandidates } from './rollbackCandidates';

const release = (number: number, fields: Partial<Release>): Release => ({
  id: `r${number}`,
  deploymentId: 'd1',
  number,
  status: 'built',
  createdBy: 'user:default/guest',
  createdAt: '2026-11-29T10:00:00Z',
  runCommand: 'node server.js',
  ...fields,
});

describe('rollbackCandidates', () => {
  it('offers built releases and superseded ones whose build finished, never the active, failed or pruned ones', () => {
    const deployment = { activeRelease: { id: 'r5' } } as Deployment;
    const releases = [
      release(6, { status: 'superseded' }),
      release(5, {}),
      release(4, { status: 'superseded', builtAt: '2026-11-29T10:01:00Z' }),
      release(3, { status: 'failed' }),
      release(2, { artifactPrunedAt: '2026-11-29T11:00:00Z' }),
      release(1, {}),
    ];
    expect(rollbackCandidates(releases, deployment).map(r => r.number)).toEqual(
      [4, 1],
    );
  });
});
