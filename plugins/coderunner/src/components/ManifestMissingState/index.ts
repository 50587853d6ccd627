export { ManifestMissingState } from './ManifestMissingState';
