export { GlobalPage } from './GlobalPage';
