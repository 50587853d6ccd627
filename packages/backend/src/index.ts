import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// A read-only second user for the local portal (development only).
backend.add(import('./modules/viewerAuthProvider'));

backend.add(import('@backstage/plugin-events-backend'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('./modules/catalogLocalLocations'));

backend.add(import('@backstage/plugin-permission-backend'));
// Roles from catalog membership: see coderunner.permissionPolicy in app-config.yaml.
backend.add(
  import('@coderunner/plugin-permission-backend-module-coderunner-policy'),
);

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
// Alert emails when app-config sets notifications.processors.email (off by default).
backend.add(import('./modules/notificationsEmail'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(import('@coderunner/plugin-coderunner-backend'));
backend.add(
  import('@coderunner/plugin-coderunner-backend-module-agentsphere-emulator'),
);
backend.add(import('@coderunner/plugin-scaffolder-backend-module-coderunner'));

backend.start();
