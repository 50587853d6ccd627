import {
  DeploymentStatus,
  InstanceState,
  ReleaseStatus,
} from '@coderunner/plugin-coderunner-common';
import { StatusKind } from './StatusLabel';

/** How each deployment status looks. */
export const DEPLOYMENT_STATUS_KINDS: Record<DeploymentStatus, StatusKind> = {
  pending: 'pending',
  deploying: 'pending',
  ready: 'ok',
  degraded: 'warning',
  failed: 'error',
  stopped: 'aborted',
};

/** How each instance state looks. */
export const INSTANCE_STATE_KINDS: Record<InstanceState, StatusKind> = {
  provisioning: 'pending',
  starting: 'pending',
  ready: 'ok',
  unhealthy: 'error',
  crashed: 'error',
  draining: 'pending',
  stopped: 'aborted',
};

/** How each release status looks. */
export const RELEASE_STATUS_KINDS: Record<ReleaseStatus, StatusKind> = {
  pending: 'pending',
  building: 'pending',
  built: 'ok',
  failed: 'error',
  superseded: 'aborted',
};

/** `'deploying'` → `'Deploying'`. */
export function capitalize(word: string): string {
  return word.charAt(0).toLocaleUpperCase('en-US') + word.slice(1);
}
