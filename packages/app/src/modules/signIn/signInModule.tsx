import {
  ApiBlueprint,
  createApiRef,
  createFrontendModule,
  createTranslationMessages,
  discoveryApiRef,
  ProfileInfoApi,
  BackstageIdentityApi,
  SessionApi,
} from '@backstage/frontend-plugin-api';
import {
  SignInPageBlueprint,
  TranslationBlueprint,
} from '@backstage/plugin-app-react';
import { coreComponentsTranslationRef } from '@backstage/core-components/alpha';
import { ProxiedProviderAuth } from './ProxiedProviderAuth';

/** The read-only development user (auth.providers.viewer in app-config.yaml). */
export const viewerAuthApiRef = createApiRef<
  ProfileInfoApi & BackstageIdentityApi & SessionApi
>().with({ id: 'coderunner.auth.viewer', pluginId: 'app' });

/** The development operator (auth.providers.operator in app-config.yaml). */
export const operatorAuthApiRef = createApiRef<
  ProfileInfoApi & BackstageIdentityApi & SessionApi
>().with({ id: 'coderunner.auth.operator', pluginId: 'app' });

const operatorAuthApi = ApiBlueprint.make({
  name: 'operator-auth',
  params: defineParams =>
    defineParams({
      api: operatorAuthApiRef,
      deps: { discoveryApi: discoveryApiRef },
      factory: ({ discoveryApi }) =>
        ProxiedProviderAuth.create({ provider: 'operator', discoveryApi }),
    }),
});

const viewerAuthApi = ApiBlueprint.make({
  name: 'viewer-auth',
  params: defineParams =>
    defineParams({
      api: viewerAuthApiRef,
      deps: { discoveryApi: discoveryApiRef },
      factory: ({ discoveryApi }) =>
        ProxiedProviderAuth.create({ provider: 'viewer', discoveryApi }),
    }),
});

// The guest card comes first, so "press Enter" in the README still signs in as the guest.
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => {
      const { SignInPage } = await import('@backstage/core-components');
      return props => (
        <SignInPage
          {...props}
          providers={[
            'guest',
            {
              id: 'viewer',
              title: 'Viewer (read-only)',
              message:
                'Reads everything and owns nothing: deploying and changing config are disabled, and their tooltips say why.',
              apiRef: viewerAuthApiRef,
            },
            {
              id: 'operator',
              title: 'Operator (platform team)',
              message:
                'A CodeRunner operator: sets team budgets and acts on every component, but opens terminals only in what it owns (nothing).',
              apiRef: operatorAuthApiRef,
            },
          ]}
        />
      );
    },
  },
});

// The guest card's title is fixed ("Guest"); its text says what the guest may do.
const guestCardText = TranslationBlueprint.make({
  name: 'guest-sign-in',
  params: {
    resource: createTranslationMessages({
      ref: coreComponentsTranslationRef,
      messages: {
        'signIn.guestProvider.subtitle':
          'Owns the examples (through the platform team): may deploy, configure and scale them.',
      },
    }),
  },
});

/** The development sign-in page: the guest, who owns the examples, a read-only viewer, or an operator. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [viewerAuthApi, operatorAuthApi, signInPage, guestCardText],
});
