import { CustomErrorBase } from '@backstage/errors';
import {
  DeploymentStatus,
  DesiredState,
  InstanceState,
  ReleaseStatus,
} from '@coderunner/plugin-coderunner-common';
import { DbTime } from '../database/dbTime';

/**
 * One catalog entity deployed to one environment: its desired state, its rollout and the
 * lease of the replica that reconciles it.
 *
 * @internal
 */
export interface DeploymentRecord {
  id: string;
  entityRef: string;
  environment: string;
  desiredInstances: number;
  desiredState: DesiredState;
  status: DeploymentStatus;
  statusReason: string | null;
  activeReleaseId: string | null;
  targetReleaseId: string | null;
  nextReleaseNumber: number;
  /** The sequence number of the deployment's last log line. */
  logSeq: number;
  leaseOwner: string | null;
  leaseExpiresAt: DbTime | null;
  /** Fencing token: grows each time a replica takes the lease over. */
  leaseToken: number;
  /**
   * Raised in the same transaction as every write to what the deployment's view shows: the
   * row's own shown columns, its instances and its releases (see DeploymentViewCache).
   */
  viewVersion: number;
  deployedBy: string | null;
  deployedAt: DbTime | null;
  createdBy: string;
  createdAt: DbTime;
  updatedAt: DbTime;
}

/**
 * A deployment's place in the lists, and what says whether a view kept of it is current.
 *
 * @internal
 */
export interface DeploymentKey {
  id: string;
  entityRef: string;
  environment: string;
  viewVersion: number;
  /**
   * The newest configuration version saved for the deployment's entity, 0 for none. Versions
   * are only ever added, so with `viewVersion` it says whether a kept view's pending
   * configuration version is still right.
   */
  configStamp: number;
}

/**
 * A deployment's row with its entity's configuration stamp.
 *
 * @internal
 */
export interface ListedDeployment extends DeploymentRecord, DeploymentKey {}

/**
 * One numbered release of a deployment: a source snapshot, its manifest and its build.
 *
 * @internal
 */
export interface ReleaseRecord {
  id: string;
  deploymentId: string;
  number: number;
  sourceRevision: string | null;
  sourceSummary: string | null;
  /** The release's manifest, as JSON. */
  manifest: string;
  configVersion: number | null;
  status: ReleaseStatus;
  failureReason: string | null;
  createdBy: string;
  createdAt: DbTime;
  builtAt: DbTime | null;
  /** When the retention task deleted its source snapshot and artifact; the release stays. */
  filesPrunedAt: DbTime | null;
}

/**
 * One sandbox running a release of a deployment.
 *
 * @internal
 */
export interface InstanceRecord {
  id: string;
  deploymentId: string;
  releaseId: string;
  state: InstanceState;
  sandboxId: string | null;
  pid: number | null;
  url: string | null;
  restarts: number;
  nextAttemptAt: DbTime | null;
  lastExitCode: number | null;
  reason: string | null;
  createdAt: DbTime;
  updatedAt: DbTime;
  readyAt: DbTime | null;
}

/**
 * A deployment as the reconcile loop sees it on each tick: with whether a live replica other
 * than the asking one holds its lease, and whether another replica holds a lease it has
 * stopped renewing.
 *
 * @internal
 */
export type DeploymentForReconcile = DeploymentRecord & {
  leasedElsewhere: boolean;
  leaseStale: boolean;
};

/**
 * Proof that a replica holds a deployment's lease: the fencing token it got when it took the
 * lease. Every write a lease holder makes carries it, and changes nothing once another
 * replica has taken the lease since (the token grew).
 *
 * @internal
 */
export interface LeaseFence {
  deploymentId: string;
  owner: string;
  token: number;
}

/**
 * A lease holder's write was refused because another replica took the lease: the writer
 * stops acting on that deployment.
 *
 * @internal
 */
export class LeaseLostError extends CustomErrorBase {
  name = 'LeaseLostError' as const;

  constructor(readonly deploymentId: string, message: string) {
    super(message);
  }
}

/**
 * What a deploy or rollback saw of its deployment when it arrived: the number its release
 * would get and when the last rollout was requested. Only deploys and rollbacks change these.
 *
 * @internal
 */
export interface RolloutSeen {
  nextReleaseNumber: number;
  deployedAt: number | undefined;
}

/**
 * What a request for a new rollout saw of the deployment it read.
 *
 * @internal
 */
export function seenOf(deployment: DeploymentRecord): RolloutSeen {
  return {
    nextReleaseNumber: Number(deployment.nextReleaseNumber),
    deployedAt:
      deployment.deployedAt === null
        ? undefined
        : new Date(deployment.deployedAt).getTime(),
  };
}

/**
 * A new release of a deployment: its source snapshot and manifest, and the instances its rollout
 * starts. With `seen`, what the request saw when it arrived (see {@link RolloutSeen}).
 *
 * @internal
 */
export interface NewRelease {
  deploymentId: string;
  seen?: RolloutSeen;
  manifest: unknown;
  source: Buffer;
  sourceRevision?: string;
  sourceSummary?: string;
  configVersion?: number;
  desiredInstances: number;
  createdBy: string;
}

/** The fields of a deployment the orchestrator changes. */
export type DeploymentPatch = Partial<{
  status: DeploymentStatus;
  statusReason: string | undefined;
  desiredState: DesiredState;
  desiredInstances: number;
  activeReleaseId: string | undefined;
  targetReleaseId: string | undefined;
}>;

/** The fields of an instance the orchestrator changes. */
export type InstancePatch = Partial<{
  state: InstanceState;
  sandboxId: string | undefined;
  pid: number | undefined;
  url: string | undefined;
  restarts: number;
  nextAttemptAt: Date | undefined;
  lastExitCode: number | undefined;
  reason: string | undefined;
  readyAt: Date | undefined;
}>;

/**
 * Where deployments, releases, release files and instances are kept. The database is the
 * source of truth: every replica reads desired and observed state from here.
 *
 * @internal
 */
export interface DeploymentStore {
  // Deployments

  /** The deployment of an entity in an environment, created (pending, one instance) if new. */
  ensureDeployment(options: {
    entityRef: string;
    environment: string;
    createdBy: string;
  }): Promise<DeploymentRecord>;

  findDeployment(
    entityRef: string,
    environment: string,
  ): Promise<DeploymentRecord | undefined>;

  getDeployment(id: string): Promise<DeploymentRecord | undefined>;

  /** Every deployment (of one entity, with `entityRef`), by entity ref, then environment. */
  listDeployments(filter?: { entityRef?: string }): Promise<DeploymentRecord[]>;

  /**
   * An entity's deployments by environment, each with its configuration stamp, for the API's
   * views: timestamps come back as PostgreSQL's text there (`PG_TEXT_TIMES`).
   */
  listDeploymentsOf(entityRef: string): Promise<ListedDeployment[]>;

  /**
   * Up to `limit` deployments in the global list's order (entity ref, then environment: the
   * unique key, so a deployment's place never moves) after the position `after` (keyset, no
   * OFFSET), with the list's filters: any of `environments`, any of `statuses`, and `text`
   * somewhere in the entity ref, ignoring case and taken literally. Only each one's key:
   * {@link getDeployments} reads the rows whose views are not kept.
   */
  listDeploymentPage(options: {
    after?: { entityRef: string; environment: string };
    limit: number;
    environments?: string[];
    statuses?: DeploymentStatus[];
    text?: string;
  }): Promise<DeploymentKey[]>;

  /**
   * The deployments with these ids that are there, in no particular order. For the API's
   * views: timestamps come back as PostgreSQL's text there (`PG_TEXT_TIMES`).
   */
  getDeployments(ids: string[]): Promise<DeploymentRecord[]>;

  /** Changes a deployment; with a fence, only while the lease is still the writer's. */
  updateDeployment(
    id: string,
    patch: DeploymentPatch,
    fence?: LeaseFence,
  ): Promise<void>;

  /** Deletes a deployment with its releases and instances, and closes its usage. */
  deleteDeployment(id: string, fence?: LeaseFence): Promise<void>;

  /**
   * Takes or renews the right to reconcile a deployment. Only one replica holds a lease at a
   * time; an expired lease (its holder died) can be taken by any replica. Expiry is by the
   * database's clock, so replicas whose clocks disagree still agree on it. Taking a lease
   * that was someone else's (or no one's) increments its fencing token; renewing keeps it.
   */
  acquireLease(
    id: string,
    owner: string,
    ttlMs: number,
  ): Promise<LeaseFence | undefined>;

  /** Whether a replica other than `owner` holds an unexpired lease on the deployment. */
  leasedElsewhere(id: string, owner: string): Promise<boolean>;

  /** Throws LeaseLostError when the fence is stale: another replica took the lease. */
  assertHolds(fence: LeaseFence | undefined): Promise<void>;

  /**
   * Renews, in one statement, every lease `owner` holds (as {@link DeploymentStore.acquireLease}
   * renews one: the token stays). A lease another replica took meanwhile is not the owner's
   * any more and is left alone. Answers how many were renewed.
   */
  renewLeases(owner: string, ttlMs: number): Promise<number>;

  /**
   * Every deployment, with whether a live replica other than `owner` holds its lease (by the
   * database's clock), in one query: what the reconcile loop looks at on each tick; and whether
   * another replica holds a lease it has stopped renewing: one that expires (or expired) within
   * `staleWithinMs`, where a holder that renews on time keeps it further off (with 0, only an
   * expired lease is stale).
   */
  listDeploymentsForReconcile(
    owner: string,
    staleWithinMs?: number,
  ): Promise<DeploymentForReconcile[]>;

  /** Gives up every lease `owner` holds. */
  releaseLeases(owner: string): Promise<void>;

  // Releases

  /**
   * What a deploy, rollback or config apply saw when it arrived, to be passed back when it
   * commits: a rollout that started in between was concurrent with it and wins.
   */
  rolloutSeen(entityRef: string, environment: string): Promise<RolloutSeen>;

  /**
   * Creates the next numbered release of a deployment and makes it the rollout target, in one
   * transaction. A rollout already in progress when the request arrived is superseded; one
   * that started after it arrived (`seen` no longer matches) was concurrent, and the request is
   * refused with a conflict, so two deploys sent at once never interleave.
   */
  createRelease(options: NewRelease): Promise<ReleaseRecord>;

  /**
   * Makes an earlier, successfully built release the rollout target again, superseding a
   * rollout in progress as `createRelease` does.
   */
  targetRelease(options: {
    deploymentId: string;
    releaseNumber: number;
    requestedBy: string;
    seen?: RolloutSeen;
  }): Promise<ReleaseRecord>;

  /**
   * Deletes the source snapshot and artifact of old releases, keeping each deployment's
   * newest `keepNewest` releases, its active release, the release a rollback goes back to
   * (the newest built one before the active), its rollout target, and any release an
   * instance still runs. Releases and their history stay, marked as pruned.
   */
  pruneReleaseFiles(
    keepNewest: number,
  ): Promise<{ releases: number; bytes: number }>;

  getRelease(id: string): Promise<ReleaseRecord | undefined>;

  /** A deployment's releases, newest first. */
  listReleases(deploymentId: string): Promise<ReleaseRecord[]>;

  /** Releases by id, in one query per 500 ids; timestamps as PostgreSQL's text there. */
  getReleases(releaseIds: string[]): Promise<ReleaseRecord[]>;

  /**
   * Sets a release's build status (a build that ends after its rollout was superseded leaves
   * that status; whether it was built still says whether it can be rolled back to).
   */
  setReleaseStatus(
    id: string,
    status: ReleaseStatus,
    failureReason?: string,
    fence?: LeaseFence,
  ): Promise<void>;

  /** Keeps a release's source snapshot or built artifact, replacing the one kept before. */
  saveReleaseFile(
    releaseId: string,
    kind: 'source' | 'artifact',
    content: Buffer,
    fence?: LeaseFence,
  ): Promise<void>;

  getReleaseFile(
    releaseId: string,
    kind: 'source' | 'artifact',
  ): Promise<Buffer | undefined>;

  // Instances

  /** A new instance of a release, provisioning, with its usage opened. */
  createInstance(options: {
    deploymentId: string;
    releaseId: string;
    fence?: LeaseFence;
  }): Promise<InstanceRecord>;

  getInstance(id: string): Promise<InstanceRecord | undefined>;

  /** A deployment's instances, oldest first. */
  listInstances(deploymentId: string): Promise<InstanceRecord[]>;

  /**
   * The instances of many deployments in as few queries as the databases' parameter limits
   * allow (one per 500 deployments), each deployment's oldest first; timestamps as
   * PostgreSQL's text there.
   */
  listInstancesOf(deploymentIds: string[]): Promise<InstanceRecord[]>;

  /** Every instance of every deployment in one query, each deployment's oldest first. */
  listAllInstances(): Promise<InstanceRecord[]>;

  /** Changes an instance; with a fence, only while the lease is still the writer's. */
  updateInstance(
    id: string,
    patch: InstancePatch,
    fence?: LeaseFence,
  ): Promise<void>;

  /**
   * Marks a ready instance unhealthy without the lease (a gateway or a standing-in replica found
   * it down); true when this changed it. Only an instance still `ready` changes, so this never
   * undoes a later step of the lease holder, which replaces the instance. With `sandboxId`,
   * only while the instance still runs in that sandbox (a probe of a sandbox the instance has
   * left proves nothing of the new one). With `whileLeaseStale`, only while another replica
   * than `owner` holds the deployment's lease and has not renewed it, by the database's clock,
   * as `listDeploymentsForReconcile` judges it: a holder that renews again decides with its own
   * probes.
   */
  markInstanceUnhealthy(
    id: string,
    reason: string,
    only?: {
      sandboxId?: string;
      whileLeaseStale?: { owner: string; staleWithinMs: number };
    },
  ): Promise<boolean>;

  /** Deletes an instance and closes its usage; with a fence, only while the lease holds. */
  deleteInstance(id: string, fence?: LeaseFence): Promise<void>;
}
