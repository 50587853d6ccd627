export { EntityAlertsCard } from './EntityAlertsCard';
export { OpenAlertsSection } from './OpenAlertsSection';
