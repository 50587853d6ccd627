import {
  BackendPluginRegistrationPoints,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AgentSphereEndpoint,
  coderunnerMetricsExtensionPoint,
  coderunnerPriceTableExtensionPoint,
  coderunnerRuntimeExtensionPoint,
  MetricsReader,
  PriceTable,
  SandboxRuntime,
} from '@coderunner/plugin-coderunner-node';
import { AgentSphereRuntime } from './runtime';

/**
 * What backend modules chose through the plugin's extension points, read once the plugin
 * initialises (modules register before that).
 *
 * @internal
 */
export interface ExtensionChoices {
  /** A module's own runtime, or the endpoint the plugin's AgentSphere runtime is pointed at. */
  runtime?:
    | { runtime: SandboxRuntime; name: string }
    | { endpoint: AgentSphereEndpoint; name: string };
  metricsReader?: { reader: MetricsReader; name: string };
  priceTable?: { table: PriceTable; name: string };
}

/**
 * Registers the extension points of `@coderunner/plugin-coderunner-node`; each may be set by
 * one module only, so two modules that both set it fail start-up naming the first.
 *
 * @internal
 */
export function registerExtensionPoints(
  env: BackendPluginRegistrationPoints,
): ExtensionChoices {
  const choices: ExtensionChoices = {};
  /** Sets a choice once; a second module setting it fails with `refusal(first name)`. */
  const setOnce = <K extends keyof ExtensionChoices>(
    key: K,
    choice: NonNullable<ExtensionChoices[K]>,
    refusal: (firstName: string) => string,
  ) => {
    const first = choices[key];
    if (first) throw new Error(refusal(first.name));
    choices[key] = choice;
  };
  const runtimeTaken = (first: string) =>
    `The CodeRunner runtime is already set to ${first}; only one module may set it.`;
  env.registerExtensionPoint(coderunnerRuntimeExtensionPoint, {
    setRuntime(runtime, options) {
      setOnce('runtime', { runtime, name: options.name }, runtimeTaken);
    },
    setAgentSphereEndpoint(endpoint, options) {
      for (const field of ['domain', 'apiKey'] as const) {
        if (typeof endpoint?.[field] !== 'string' || !endpoint[field]) {
          throw new Error(
            `setAgentSphereEndpoint (runtime ${options.name}) needs endpoint.${field}, a non-empty string`,
          );
        }
      }
      setOnce(
        'runtime',
        {
          endpoint: { domain: endpoint.domain, apiKey: endpoint.apiKey },
          name: options.name,
        },
        runtimeTaken,
      );
    },
  });
  env.registerExtensionPoint(coderunnerMetricsExtensionPoint, {
    setMetricsReader(reader, options) {
      setOnce(
        'metricsReader',
        { reader, name: options.name },
        first =>
          `CodeRunner already reads metrics from ${first}; only one module may set it.`,
      );
    },
  });
  env.registerExtensionPoint(coderunnerPriceTableExtensionPoint, {
    setPriceTable(table, options) {
      setOnce(
        'priceTable',
        { table, name: options.name },
        first =>
          `CodeRunner already takes prices from ${first}; only one module may set them.`,
      );
    },
  });
  return choices;
}

/**
 * The runtime the plugin runs sandboxes on and its name for the log and `/health`: a module's
 * own runtime; or the plugin's AgentSphere runtime from config, pointed at a module's endpoint
 * if one was set; `agentsphere` when no module chose.
 *
 * @internal
 */
export function chosenRuntime(
  choices: ExtensionChoices,
  options: { config: Config; logger: LoggerService },
): { runtime: SandboxRuntime; name: string } {
  const choice = choices.runtime;
  if (choice && 'runtime' in choice) {
    return choice;
  }
  return {
    runtime: AgentSphereRuntime.fromConfig(options.config, {
      logger: options.logger,
      endpoint: choice?.endpoint,
    }),
    name: choice?.name ?? 'agentsphere',
  };
}
