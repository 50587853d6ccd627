import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  CodeRunnerClient,
  coderunnerApiRef,
  CostClient,
  costApiRef,
} from '../api';

/** `api:coderunner`: the {@link CodeRunnerClient} behind `coderunnerApiRef`. */
export const coderunnerApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: coderunnerApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CodeRunnerClient({ discoveryApi, fetchApi }),
    }),
});

/** `api:coderunner/cost`: the {@link CostClient} behind `costApiRef`. */
export const costApi = ApiBlueprint.make({
  name: 'cost',
  params: defineParams =>
    defineParams({
      api: costApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new CostClient(deps),
    }),
});
