/**
 * The lifecycle states of a deployment as a whole.
 *
 * @public
 */
export type DeploymentStatus =
  | 'pending'
  | 'deploying'
  | 'ready'
  | 'degraded'
  | 'stopped'
  | 'failed';

/**
 * A catalog entity deployed to one environment.
 *
 * @public
 */
export interface Deployment {
  id: string;
  entityRef: string;
  environment: string;
  desiredInstances: number;
  status: DeploymentStatus;
  statusReason?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}
