import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';

/**
 * Backstage's notifications email module, loaded only when app-config configures it
 * (`notifications.processors.email`, see app-config.yaml): the module requires that section, and
 * the local portal runs without an SMTP server.
 */
export default createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    if (config.has('notifications.processors.email')) {
      yield import('@backstage/plugin-notifications-backend-module-email');
    }
  },
});
