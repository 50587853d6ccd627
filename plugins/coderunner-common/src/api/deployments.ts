/**
 * The lifecycle of a deployment as a whole.
 *
 * - `pending`: created, nothing deployed yet.
 * - `deploying`: a release is being built or rolled out.
 * - `ready`: the desired number of instances of the active release are ready.
 * - `degraded`: fewer instances are ready than wanted, e.g. a crash loop; `statusReason` says why.
 * - `failed`: the last release could not be built or started; `statusReason` says why.
 * - `stopped`: stopped on request; no instances run.
 *
 * @public
 */
export type DeploymentStatus =
  | 'pending'
  | 'deploying'
  | 'ready'
  | 'degraded'
  | 'failed'
  | 'stopped';

/**
 * What the owner wants: instances running, stopped, or the deployment gone.
 *
 * @public
 */
export type DesiredState = 'running' | 'stopped' | 'deleted';

/**
 * The states of one instance (one sandbox running a release). `unhealthy`: it was ready but
 * failed its health check too often; no longer routed, drained once a replacement is ready.
 *
 * @public
 */
export type InstanceState =
  | 'provisioning'
  | 'starting'
  | 'ready'
  | 'unhealthy'
  | 'crashed'
  | 'draining'
  | 'stopped';

/**
 * The states of a release's build; `superseded` when a later deploy, rollback or config apply
 * replaced its rollout before it went live.
 *
 * @public
 */
export type ReleaseStatus =
  | 'pending'
  | 'building'
  | 'built'
  | 'failed'
  | 'superseded';

/**
 * An immutable, numbered snapshot: source, validated manifest and config version.
 *
 * @public
 */
export type Release = {
  id: string;
  deploymentId: string;
  number: number;
  status: ReleaseStatus;
  sourceRevision?: string;
  sourceSummary?: string;
  configVersion?: number;
  failureReason?: string;
  createdBy: string;
  createdAt: string;
  builtAt?: string;
  /**
   * When the release retention task deleted its source and artifact
   * (`coderunner.releases.keepArtifacts`); such a release can no longer be rolled back to.
   */
  artifactPrunedAt?: string;
  /** The command the instances run, from the manifest, for display. */
  runCommand: string;
};

/**
 * One sandbox running a release.
 *
 * @public
 */
export type Instance = {
  id: string;
  deploymentId: string;
  releaseId: string;
  releaseNumber?: number;
  state: InstanceState;
  sandboxId?: string;
  restarts: number;
  lastExitCode?: number;
  reason?: string;
  createdAt: string;
  readyAt?: string;
};

/**
 * A catalog entity deployed to one environment, as the API shows it.
 *
 * @public
 */
export type Deployment = {
  id: string;
  entityRef: string;
  environment: string;
  status: DeploymentStatus;
  statusReason?: string;
  desiredState: DesiredState;
  desiredInstances: number;
  /** The stable URL of the deployment on the gateway, when it serves HTTP. */
  url?: string;
  activeRelease?: Release;
  /** The release being rolled out, when a rollout is in progress. */
  targetRelease?: Release;
  instances: Instance[];
  deployedBy?: string;
  deployedAt?: string;
  createdAt: string;
  updatedAt: string;
  /**
   * The newest config version when the running (or rolling out) release pins an older one:
   * configuration was saved without applying it.
   */
  pendingConfigVersion?: number;
};

/**
 * Body of a deploy request.
 *
 * @public
 */
export interface DeployRequest {
  /** How many instances to run; the manifest's `instances` when omitted. */
  instances?: number;
}

/**
 * Body of a rollback request.
 *
 * @public
 */
export interface RollbackRequest {
  /** The number of an earlier release that built successfully. */
  releaseNumber: number;
}

/**
 * The answer to deploy, rollback, stop, restart and delete: the deployment after the change.
 *
 * @public
 */
export type DeploymentActionResponse = {
  deployment: Deployment;
  release?: Release;
};

/**
 * A list answer.
 *
 * @public
 */
export interface ListResponse<T> {
  items: T[];
}

/**
 * A page of the global deployments list (`GET /deployments`), in entity ref and then
 * environment order.
 *
 * @public
 */
export interface DeploymentPage {
  /** Up to the query's `limit` deployments, fewer only on the last page. */
  items: Deployment[];
  /** Pass it as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
  /** The configured environments, in promotion order: what the `environment` filter takes. */
  environments: string[];
}

/**
 * Which page of the global deployments list to read, and its filters; every filter narrows it.
 *
 * @public
 */
export interface DeploymentListQuery {
  /** The most deployments in the page, 1 to 200; 50 when omitted. */
  limit?: number;
  /** The `nextCursor` of the previous page; omit it for the first page. */
  cursor?: string;
  /** Only these environments. */
  environments?: string[];
  /** Only these statuses. */
  statuses?: DeploymentStatus[];
  /** Only entity refs containing this text, ignoring case. */
  text?: string;
}

/**
 * The name of the Backstage signal channel on which the backend announces that an entity's
 * deployments changed; subscribers re-read them. Log lines never travel on signals.
 *
 * @public
 */
export const deploymentSignalChannel = (entityRef: string) =>
  `coderunner:deployments:${entityRef}`;

/**
 * The message sent on {@link deploymentSignalChannel}: only the news that something changed.
 * Signals reach every subscriber of a channel, whatever they may read, so the message holds no
 * status, environment or id; readers fetch those from the API or the stream's `status` topic,
 * which check their read permission on the entity.
 *
 * @public
 */
export interface DeploymentSignal {
  type: 'deployments-changed';
}
