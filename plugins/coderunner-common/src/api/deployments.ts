import { components } from './generated/openapi';

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
export type DeploymentStatus = Deployment['status'];

/**
 * What the owner wants: instances running, stopped, or the deployment gone.
 *
 * @public
 */
export type DesiredState = Deployment['desiredState'];

/**
 * The states of one instance (one sandbox running a release). `unhealthy`: it was ready but
 * failed its health check too often; no longer routed, drained once a replacement is ready.
 *
 * @public
 */
export type InstanceState = Instance['state'];

/**
 * The states of a release's build; `superseded` when a later deploy, rollback or config apply
 * replaced its rollout before it went live.
 *
 * @public
 */
export type ReleaseStatus = Release['status'];

/**
 * An immutable, numbered snapshot: source, validated manifest and config version.
 *
 * @public
 */
export type Release = components['schemas']['Release'];

/**
 * One sandbox running a release.
 *
 * @public
 */
export type Instance = components['schemas']['Instance'];

/**
 * A catalog entity deployed to one environment, as the API shows it.
 *
 * @public
 */
export type Deployment = components['schemas']['Deployment'];

/**
 * Body of a deploy request.
 *
 * @public
 */
export type DeployRequest = components['schemas']['DeployRequest'];

/**
 * Body of a rollback request.
 *
 * @public
 */
export type RollbackRequest = components['schemas']['RollbackRequest'];

/**
 * The answer to deploy, rollback, stop, restart and delete: the deployment after the change.
 *
 * @public
 */
export type DeploymentActionResponse =
  components['schemas']['DeploymentActionResponse'];

/**
 * A page of the global deployments list (`GET /deployments`), in entity ref and then
 * environment order.
 *
 * @public
 */
export type DeploymentPage = components['schemas']['DeploymentPage'];

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
 * The name of the Backstage signal channel on which the backend announces that some deployment
 * changed, whichever entity it belongs to (a new one included): the global list's readers
 * re-read their page. The same {@link DeploymentSignal} as on an entity's channel.
 *
 * @public
 */
export const deploymentListSignalChannel = 'coderunner:deployments';

/**
 * The message sent on {@link deploymentSignalChannel} and {@link deploymentListSignalChannel}:
 * only the news that something changed.
 * Signals reach every subscriber of a channel, whatever they may read, so the message holds no
 * status, environment or id; readers fetch those from the API or the stream's `status` topic,
 * which check their read permission on the entity.
 *
 * @public
 */
export interface DeploymentSignal {
  type: 'deployments-changed';
}
