import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';

/**
 * Lets locations of type `file` be registered through the catalog API, which this local
 * portal's template needs: `coderunner:publish:local` keeps generated components in a folder on
 * this machine and registers them from there. Portals with a source host do not need it.
 */
export default createBackendModule({
  pluginId: 'catalog',
  moduleId: 'local-file-locations',
  register(reg) {
    reg.registerInit({
      deps: { locations: catalogLocationsExtensionPoint },
      async init({ locations }) {
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});
