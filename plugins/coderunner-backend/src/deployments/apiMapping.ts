import {
  Deployment,
  Instance,
  Release,
} from '@coderunner/plugin-coderunner-common';
import { toIso, toOptionalIso } from '../database/dbTime';
import {
  DeploymentRecord,
  InstanceRecord,
  ReleaseRecord,
} from './DeploymentStore';

/** A release as the Deployments API shows it. */
export function toRelease(release: ReleaseRecord): Release {
  return toReleaseWith(release, JSON.parse(release.manifest));
}

/** {@link toRelease} with the release's manifest already parsed. */
export function toReleaseWith(
  release: ReleaseRecord,
  manifest: { run?: { command?: string } } | null,
): Release {
  return {
    id: release.id,
    deploymentId: release.deploymentId,
    number: release.number,
    status: release.status,
    sourceRevision: release.sourceRevision ?? undefined,
    sourceSummary: release.sourceSummary ?? undefined,
    configVersion: release.configVersion ?? undefined,
    failureReason: release.failureReason ?? undefined,
    createdBy: release.createdBy,
    createdAt: toIso(release.createdAt),
    builtAt: toOptionalIso(release.builtAt),
    artifactPrunedAt: toOptionalIso(release.filesPrunedAt),
    runCommand: manifest?.run?.command ?? '',
  };
}

/** An instance as the Deployments API shows it, with its release's number when known. */
export function toInstance(
  instance: InstanceRecord,
  releaseNumber?: number,
): Instance {
  return {
    id: instance.id,
    deploymentId: instance.deploymentId,
    releaseId: instance.releaseId,
    releaseNumber,
    state: instance.state,
    sandboxId: instance.sandboxId ?? undefined,
    restarts: instance.restarts,
    lastExitCode: instance.lastExitCode ?? undefined,
    reason: instance.reason ?? undefined,
    createdAt: toIso(instance.createdAt),
    readyAt: toOptionalIso(instance.readyAt),
  };
}

/** A deployment as the Deployments API shows it, with its releases, instances and URL. */
export function toDeployment(
  deployment: DeploymentRecord,
  related: {
    activeRelease?: Release;
    targetRelease?: Release;
    instances: Instance[];
    url?: string;
  },
): Deployment {
  return {
    id: deployment.id,
    entityRef: deployment.entityRef,
    environment: deployment.environment,
    status: deployment.status,
    statusReason: deployment.statusReason ?? undefined,
    desiredState: deployment.desiredState,
    desiredInstances: deployment.desiredInstances,
    url: related.url,
    activeRelease: related.activeRelease,
    targetRelease: related.targetRelease,
    instances: related.instances,
    deployedBy: deployment.deployedBy ?? undefined,
    deployedAt: toOptionalIso(deployment.deployedAt),
    createdAt: toIso(deployment.createdAt),
    updatedAt: toIso(deployment.updatedAt),
  };
}
