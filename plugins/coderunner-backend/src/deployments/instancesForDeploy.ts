import { CodeRunnerManifest } from '@coderunner/plugin-coderunner-common';
import { DeploymentRecord } from './DeploymentStore';

/**
 * How many instances a new release of a deployment starts.
 *
 * Without an autoscaling template, the manifest's `instances`, as on a first deploy. With one, a deployment that is serving
 * keeps the count the autoscaler (or a person's hold) chose, within the new release's bounds, so
 * that a deploy in the middle of a traffic peak does not drop capacity until the next tick. A
 * deployment scaled to zero starts one instance: the new release must become ready before it
 * can go live, and the autoscaler scales it back to zero once it is idle.
 *
 * @internal
 */
export function instancesForDeploy(
  manifest: Pick<CodeRunnerManifest, 'instances' | 'scaling'>,
  deployment: Pick<
    DeploymentRecord,
    'desiredState' | 'desiredInstances' | 'activeReleaseId'
  >,
): number {
  const { template, min, max } = manifest.scaling;
  if (
    !template ||
    deployment.desiredState !== 'running' ||
    !deployment.activeReleaseId
  ) {
    return manifest.instances;
  }
  return Math.max(1, Math.min(max, Math.max(min, deployment.desiredInstances)));
}
