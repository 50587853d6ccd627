export { MetricsSection } from './MetricsSection';
