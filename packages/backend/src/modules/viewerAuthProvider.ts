import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
  SignInResolver,
} from '@backstage/plugin-auth-node';

/** Who the viewer signs in as, from `auth.providers.viewer`. */
interface ViewerUser {
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

const viewerAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize({ config }): ViewerUser {
    const userEntityRef = config.getString('userEntityRef');
    return {
      userEntityRef,
      ownershipEntityRefs: config.getOptionalStringArray(
        'ownershipEntityRefs',
      ) ?? [userEntityRef],
    };
  },
  async authenticate(_, user) {
    return { result: user };
  },
});

// As the guest provider does: the catalog's user when it has read examples/org.yaml, else a
// token with the configured refs (the portal's first seconds).
const signInAsViewer: SignInResolver<ViewerUser> = async ({ result }, ctx) => {
  try {
    return await ctx.signInWithCatalogUser({ entityRef: result.userEntityRef });
  } catch {
    return ctx.issueToken({
      claims: { sub: result.userEntityRef, ent: result.ownershipEntityRefs },
    });
  }
};

/**
 * Two more development sign-ins beside the guest: `viewer`, a user who owns nothing, so a
 * newcomer to the local portal sees what the permission policy denies, and `operator`, a member
 * of the policy's operators, who sets team budgets and acts on every component. Like guest
 * sign-in they exist only with NODE_ENV=development; elsewhere no provider is registered at all.
 */
export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'viewer-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ providers, logger }) {
        if (process.env.NODE_ENV !== 'development') {
          logger.info(
            'Viewer and operator sign-in are off: they exist only with NODE_ENV=development',
          );
          return;
        }
        // The viewer owns nothing; the operator is in group:default/operators, the policy's operators.
        for (const providerId of ['viewer', 'operator']) {
          providers.registerProvider({
            providerId,
            factory: createProxyAuthProviderFactory({
              authenticator: viewerAuthenticator,
              signInResolver: signInAsViewer,
            }),
          });
        }
      },
    });
  },
});
