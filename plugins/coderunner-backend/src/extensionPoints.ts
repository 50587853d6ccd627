import { BackendPluginRegistrationPoints } from '@backstage/backend-plugin-api';
import {
  coderunnerMetricsExtensionPoint,
  coderunnerPriceTableExtensionPoint,
  coderunnerRuntimeExtensionPoint,
  MetricsReader,
  PriceTable,
  SandboxRuntime,
} from '@coderunner/plugin-coderunner-node';

/**
 * What backend modules chose through the plugin's extension points, read once the plugin
 * initialises (modules register before that).
 *
 * @internal
 */
export interface ExtensionChoices {
  runtime?: { runtime: SandboxRuntime; name: string };
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
  env.registerExtensionPoint(coderunnerRuntimeExtensionPoint, {
    setRuntime(runtime, options) {
      if (choices.runtime) {
        throw new Error(
          `The CodeRunner runtime is already set to ${choices.runtime.name}; only one module may set it.`,
        );
      }
      choices.runtime = { runtime, name: options.name };
    },
  });
  env.registerExtensionPoint(coderunnerMetricsExtensionPoint, {
    setMetricsReader(reader, options) {
      if (choices.metricsReader) {
        throw new Error(
          `CodeRunner already reads metrics from ${choices.metricsReader.name}; only one module may set it.`,
        );
      }
      choices.metricsReader = { reader, name: options.name };
    },
  });
  env.registerExtensionPoint(coderunnerPriceTableExtensionPoint, {
    setPriceTable(table, options) {
      if (choices.priceTable) {
        throw new Error(
          `CodeRunner already takes prices from ${choices.priceTable.name}; only one module may set them.`,
        );
      }
      choices.priceTable = { table, name: options.name };
    },
  });
  return choices;
}
