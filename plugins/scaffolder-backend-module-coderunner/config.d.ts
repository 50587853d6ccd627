export interface Config {
  coderunner?: {
    /** Settings of CodeRunner's scaffolder actions. */
    scaffolder?: {
      /**
       * A folder on the backend's machine where `coderunner:publish:local` keeps generated
       * components, for local portals without a source host. Unset: the action is not offered.
       */
      localComponentsDir?: string;
    };
  };
}
