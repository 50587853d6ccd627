export { AutoscalingTab } from './AutoscalingTab';
