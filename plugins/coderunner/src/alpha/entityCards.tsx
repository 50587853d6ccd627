import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isCodeRunnerAvailable } from '../isCodeRunnerAvailable';

/** `entity-card:coderunner/overview` */
export const overviewEntityCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: isCodeRunnerAvailable,
    loader: () =>
      import('../components/OverviewCard').then(m => <m.OverviewCard />),
  },
});
