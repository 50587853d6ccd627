/** The only `apiVersion` this engine understands. @public */
export const MANIFEST_API_VERSION = 'coderunner.io/v1';

/**
 * What a component is: a `service` listens on a port, a `worker` runs without
 * one, a `static` site is a directory served by CodeRunner's built-in server.
 * @public
 */
export const manifestKinds = ['service', 'worker', 'static'] as const;

/** @public */
export type ManifestKind = (typeof manifestKinds)[number];

/** Instance sizes; see {@link resourceSizes} for what each one means. @public */
export const resourceSizeNames = [
  'small',
  'medium',
  'large',
  'xlarge',
] as const;

/** @public */
export type ResourceSize = (typeof resourceSizeNames)[number];

/** Named autoscaling policies a manifest may start from. @public */
export const manifestScalingTemplates = [
  'web-app',
  'api',
  'worker',
  'ml-inference',
  'development',
  'cost-saver',
] as const;

/** @public */
export type ManifestScalingTemplate = (typeof manifestScalingTemplates)[number];

/** The HTTP health check of a service: readiness while it starts, liveness once ready. @public */
export interface ManifestHealthCheck {
  /** Path requested on the instance's port; starts with `/`. */
  path: string;
  /** How long a new instance may take to become ready before it counts as failed. */
  timeoutSeconds: number;
  /** Pause between two checks, while an instance starts and while it runs. */
  intervalSeconds: number;
  /** A ready instance whose check fails this many times in a row is replaced. */
  failureThreshold: number;
}

/** Fields shared by every kind, with defaults filled in. @public */
export interface ManifestCommon {
  apiVersion: typeof MANIFEST_API_VERSION;
  /** The AgentSphere sandbox template the instances (and the build) run in. */
  runtime: { template: string };
  /** Commands run once per release, in order, before any instance starts. */
  build: { install?: string; command?: string };
  resources: { size: ResourceSize };
  /** Non-secret environment defaults; values are the text written in the file. */
  env: Record<string, string>;
  /** How many instances a deploy starts. */
  instances: number;
  /**
   * Bounds for the instance count. Without `template` the autoscaler leaves
   * the count alone; without `scaling` in the file, `min` and `max` both equal
   * `instances`.
   */
  scaling: { template?: ManifestScalingTemplate; min: number; max: number };
}

/** A long-running process that listens on a port. @public */
export interface ServiceManifest extends ManifestCommon {
  kind: 'service';
  run: {
    command: string;
    port: number;
    health: ManifestHealthCheck;
    /** Whether the gateway passes the visitor's `Cookie` and `Authorization` headers to the app. */
    forwardCredentials: boolean;
  };
}

/** A long-running process without a port (queue consumer, bot, cron loop). @public */
export interface WorkerManifest extends ManifestCommon {
  kind: 'worker';
  run: { command: string };
}

/** A directory of files served by CodeRunner's built-in static server. @public */
export interface StaticManifest extends ManifestCommon {
  kind: 'static';
  static: {
    /** Directory relative to the source root, usually the build output. */
    dir: string;
    /** Serve `index.html` for paths that match no file (single-page apps). */
    spa: boolean;
  };
}

/** A validated `coderunner.yaml` with every default filled in. @public */
export type CodeRunnerManifest =
  | ServiceManifest
  | WorkerManifest
  | StaticManifest;

/** One problem found in a manifest. @public */
export interface ManifestError {
  /** Dotted field path, e.g. `run.port`; empty for problems with the file as a whole. */
  path: string;
  /** 1-based line of the offending node. */
  line: number;
  /** 1-based column of the offending node. */
  column: number;
  /** What is wrong and what is allowed instead. */
  message: string;
}

/** The outcome of {@link parseManifest}: a manifest, or the reasons there is none. @public */
export interface ParseManifestResult {
  /** Present exactly when `errors` is empty. */
  manifest?: CodeRunnerManifest;
  errors: ManifestError[];
}
