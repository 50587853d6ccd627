import { Deployment, Release } from '@coderunner/plugin-coderunner-common';

/**
 * Whether a release can be rolled back to: it built (a superseded rollout may have), is not
 * the one running, and its artifact has not been pruned by the release retention task.
 */
export function canRollBackTo(release: Release, deployment: Deployment) {
  return (
    (release.status === 'built' ||
      (release.status === 'superseded' && !!release.builtAt)) &&
    release.id !== deployment.activeRelease?.id &&
    !release.artifactPrunedAt
  );
}

/** The releases a deployment can roll back to, in the order given. */
export function rollbackCandidates(
  releases: Release[] | undefined,
  deployment: Deployment,
): Release[] {
  return (releases ?? []).filter(release => canRollBackTo(release, deployment));
}
