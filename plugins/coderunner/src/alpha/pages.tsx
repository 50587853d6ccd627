import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { PageBlueprint } from '@backstage/frontend-plugin-api';
import { rootRouteRef } from '../routes';

/**
 * `page:coderunner` at `/coderunner`. The page draws its own Backstage header,
 * the same as in legacy apps, so the app's default page header is hidden.
 */
export const coderunnerPage = PageBlueprint.make({
  params: {
    path: '/coderunner',
    title: 'CodeRunner',
    routeRef: convertLegacyRouteRef(rootRouteRef),
    noHeader: true,
    loader: () =>
      import('../components/GlobalPage').then(m => <m.GlobalPage />),
  },
});
