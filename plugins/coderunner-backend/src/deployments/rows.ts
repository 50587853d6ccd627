import {
  Deployment,
  DeploymentStatus,
  DesiredState,
  Instance,
  InstanceState,
  Release,
  ReleaseStatus,
} from '@coderunner/plugin-coderunner-common';
import { DbTime, toIso, toOptionalIso } from '../database/dbTime';

/** @internal */
export type DeploymentRow = {
  id: string;
  entity_ref: string;
  environment: string;
  desired_instances: number;
  desired_state: DesiredState;
  status: DeploymentStatus;
  status_reason: string | null;
  active_release_id: string | null;
  target_release_id: string | null;
  next_release_number: number;
  log_seq: number | string;
  lease_owner: string | null;
  lease_expires_at: DbTime | null;
  /** Fencing token: grows each time a replica takes the lease over. */
  lease_token: number | string;
  deployed_by: string | null;
  deployed_at: DbTime | null;
  created_by: string;
  created_at: DbTime;
  updated_at: DbTime;
};

/** @internal */
export type ReleaseRow = {
  id: string;
  deployment_id: string;
  number: number;
  source_revision: string | null;
  source_summary: string | null;
  manifest: string;
  config_version: number | null;
  status: ReleaseStatus;
  failure_reason: string | null;
  created_by: string;
  created_at: DbTime;
  built_at: DbTime | null;
  /** When the retention task deleted its source snapshot and artifact; the row stays. */
  files_pruned_at: DbTime | null;
};

/** @internal */
export type InstanceRow = {
  id: string;
  deployment_id: string;
  release_id: string;
  state: InstanceState;
  sandbox_id: string | null;
  pid: number | null;
  url: string | null;
  restarts: number;
  next_attempt_at: DbTime | null;
  last_exit_code: number | null;
  reason: string | null;
  created_at: DbTime;
  updated_at: DbTime;
  ready_at: DbTime | null;
};

export function toRelease(row: ReleaseRow): Release {
  return toReleaseWith(row, JSON.parse(row.manifest));
}

/** {@link toRelease} with the release's manifest already parsed. */
export function toReleaseWith(
  row: ReleaseRow,
  manifest: { run?: { command?: string } } | null,
): Release {
  return {
    id: row.id,
    deploymentId: row.deployment_id,
    number: row.number,
    status: row.status,
    sourceRevision: row.source_revision ?? undefined,
    sourceSummary: row.source_summary ?? undefined,
    configVersion: row.config_version ?? undefined,
    failureReason: row.failure_reason ?? undefined,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    builtAt: toOptionalIso(row.built_at),
    artifactPrunedAt: toOptionalIso(row.files_pruned_at),
    runCommand: manifest?.run?.command ?? '',
  };
}

export function toInstance(row: InstanceRow, releaseNumber?: number): Instance {
  return {
    id: row.id,
    deploymentId: row.deployment_id,
    releaseId: row.release_id,
    releaseNumber,
    state: row.state,
    sandboxId: row.sandbox_id ?? undefined,
    restarts: row.restarts,
    lastExitCode: row.last_exit_code ?? undefined,
    reason: row.reason ?? undefined,
    createdAt: toIso(row.created_at),
    readyAt: toOptionalIso(row.ready_at),
  };
}

export function toDeployment(
  row: DeploymentRow,
  related: {
    activeRelease?: Release;
    targetRelease?: Release;
    instances: Instance[];
    url?: string;
  },
): Deployment {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    status: row.status,
    statusReason: row.status_reason ?? undefined,
    desiredState: row.desired_state,
    desiredInstances: row.desired_instances,
    url: related.url,
    activeRelease: related.activeRelease,
    targetRelease: related.targetRelease,
    instances: related.instances,
    deployedBy: row.deployed_by ?? undefined,
    deployedAt: toOptionalIso(row.deployed_at),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}
