export interface Config {
  /** Configuration for the CodeRunner backend plugin. */
  coderunner?: {
    /**
     * The deployment environments offered for every component, in promotion order.
     * Defaults to development, staging and production.
     * @visibility frontend
     */
    environments?: string[];
  };
}
