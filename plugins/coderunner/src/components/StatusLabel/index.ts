export { DeploymentStatusLabel } from './DeploymentStatusLabel';
export { InstanceStateLabel } from './InstanceStateLabel';
export { ReleaseStatusLabel } from './ReleaseStatusLabel';
