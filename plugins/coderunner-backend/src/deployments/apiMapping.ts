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
    deploymentId: release.deployment_id,
    number: release.number,
    status: release.status,
    sourceRevision: release.source_revision ?? undefined,
    sourceSummary: release.source_summary ?? undefined,
    configVersion: release.config_version ?? undefined,
    failureReason: release.failure_reason ?? undefined,
    createdBy: release.created_by,
    createdAt: toIso(release.created_at),
    builtAt: toOptionalIso(release.built_at),
    artifactPrunedAt: toOptionalIso(release.files_pruned_at),
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
    deploymentId: instance.deployment_id,
    releaseId: instance.release_id,
    releaseNumber,
    state: instance.state,
    sandboxId: instance.sandbox_id ?? undefined,
    restarts: instance.restarts,
    lastExitCode: instance.last_exit_code ?? undefined,
    reason: instance.reason ?? undefined,
    createdAt: toIso(instance.created_at),
    readyAt: toOptionalIso(instance.ready_at),
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
    entityRef: deployment.entity_ref,
    environment: deployment.environment,
    status: deployment.status,
    statusReason: deployment.status_reason ?? undefined,
    desiredState: deployment.desired_state,
    desiredInstances: deployment.desired_instances,
    url: related.url,
    activeRelease: related.activeRelease,
    targetRelease: related.targetRelease,
    instances: related.instances,
    deployedBy: deployment.deployed_by ?? undefined,
    deployedAt: toOptionalIso(deployment.deployed_at),
    createdAt: toIso(deployment.created_at),
    updatedAt: toIso(deployment.updated_at),
  };
}
