export { parseManifest } from './parseManifest';
export { formatManifestErrors } from './formatManifestErrors';
export { manifestJsonSchema } from './manifestJsonSchema';
export type { JsonSchema } from './schema/toJsonSchema';
export { resourceSizes } from './resourceSizes';
export type { ResourceSizeSpec } from './resourceSizes';
export {
  MANIFEST_API_VERSION,
  manifestKinds,
  resourceSizeNames,
  manifestScalingTemplates,
} from './types';
export type {
  CodeRunnerManifest,
  ManifestCommon,
  ManifestError,
  ManifestHealthCheck,
  ManifestKind,
  ParseManifestResult,
  ResourceSize,
  ManifestScalingTemplate,
  ServiceManifest,
  StaticManifest,
  WorkerManifest,
} from './types';
