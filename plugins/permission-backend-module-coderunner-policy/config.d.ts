export interface Config {
  coderunner?: {
    /**
     * Who may do what with CodeRunner, for the policy of
     * `@coderunner/plugin-permission-backend-module-coderunner-policy`. Each list holds entity
     * refs (`group:default/platform`, `user:default/jane`) matched against the signed-in user's
     * ownership refs: the user and the groups the user is a direct member of.
     */
    permissionPolicy?: {
      /** May do everything with every component's deployments, config and secrets. Default: nobody. */
      operators?: string[];
      /**
       * May see deployments, logs and config names of every component. Unset: every signed-in
       * user. Owners and operators may always read what they may change.
       */
      viewers?: string[];
    };
  };
}
