export { ConfigTab } from './ConfigTab';
