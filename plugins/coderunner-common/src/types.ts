/**
 * What the backend knows about an entity's CodeRunner setup.
 *
 * @public
 */
export interface EntitySetup {
  /** The entity ref, e.g. `component:default/hello-node`. */
  entityRef: string;
  /** Where the manifest was looked for, e.g. `coderunner.yaml`. */
  manifestPath: string;
  /** Whether a manifest was found in the component's source. */
  manifestFound: boolean;
  /** Why the manifest could not be read, when it could not; says what to fix. */
  problem?: string;
  /** The deployment environments this portal offers. */
  environments: string[];
}

/**
 * The answer of the unauthenticated health route: a readiness check of the backend's parts.
 * `failing` (with HTTP 503) when any component is; `message` then names them.
 *
 * @public
 */
export interface HealthResponse {
  status: 'ok' | 'failing';
  message?: string;
  /** `database`, `agentsphere`, `logPipeline`, `reconciler`, `metricsPoller`. */
  components: Record<string, { status: 'ok' | 'failing'; detail: string }>;
  /** Which sandbox runtime the backend uses, e.g. `agentsphere` or `agentsphere-emulator`. */
  runtime?: string;
}
