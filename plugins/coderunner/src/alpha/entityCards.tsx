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

/** `entity-card:coderunner/cost` */
export const costEntityCard = EntityCardBlueprint.make({
  name: 'cost',
  params: {
    filter: isCodeRunnerAvailable,
    loader: () => import('../components/CostCard').then(m => <m.CostCard />),
  },
});
