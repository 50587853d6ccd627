import { Deployment, DeploymentStatus } from './types';

/**
 * Persists deployments.
 *
 * @internal
 */
export interface DeploymentStore {
  /** Creates the deployment of an entity in an environment, or returns the existing one. */
  ensureDeployment(options: {
    entityRef: string;
    environment: string;
    createdBy: string;
  }): Promise<Deployment>;
  getDeployment(id: string): Promise<Deployment | undefined>;
  listDeployments(filter?: { entityRef?: string }): Promise<Deployment[]>;
  setStatus(
    id: string,
    status: DeploymentStatus,
    statusReason?: string,
  ): Promise<void>;
}
