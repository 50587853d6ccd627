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
  env.registerExtensionPoint(coderunnerRuntimeExtensionPoint, {
    setRuntime(runtime, options) {
      setOnce(
        'runtime',
        { runtime, name: options.name },
        first =>
          `The CodeRunner runtime is already set to ${first}; only one module may set it.`,
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
