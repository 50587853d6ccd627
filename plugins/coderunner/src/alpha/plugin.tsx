import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import CloudUploadIcon from '@material-ui/icons/CloudUpload';
import { rootRouteRef } from '../routes';
import {
  alertsApi,
  coderunnerApi,
  configApi,
  costApi,
  logsApi,
  scalingApi,
  terminalApi,
} from './apis';
import { costEntityCard, overviewEntityCard } from './entityCards';
import {
  autoscalingEntityContent,
  configEntityContent,
  deploymentsEntityContent,
  logsEntityContent,
} from './entityContents';
import { coderunnerPage } from './pages';

/**
 * The CodeRunner plugin for apps on the new frontend system: the API, the four
 * entity tabs, the overview card and the global page with its nav item.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'coderunner',
  title: 'CodeRunner',
  icon: <CloudUploadIcon fontSize="inherit" />,
  info: { packageJson: () => import('../../package.json') },
  routes: {
    root: convertLegacyRouteRef(rootRouteRef),
  },
  extensions: [
    coderunnerApi,
    configApi,
    logsApi,
    scalingApi,
    costApi,
    alertsApi,
    terminalApi,
    deploymentsEntityContent,
    logsEntityContent,
    configEntityContent,
    autoscalingEntityContent,
    overviewEntityCard,
    costEntityCard,
    coderunnerPage,
  ],
});
