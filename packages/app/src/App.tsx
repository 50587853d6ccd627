import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import coderunnerPlugin from '@coderunner/plugin-coderunner/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { signInModule } from './modules/signIn';

// `app.packages: all` also discovers these plugins at build time; createApp keeps
// one instance per plugin id, so listing them here adds nothing twice. They are
// listed so the app (and its tests, which run without discovery) always has them.
export default createApp({
  features: [
    catalogPlugin,
    coderunnerPlugin,
    navModule,
    homeModule,
    signInModule,
  ],
});
