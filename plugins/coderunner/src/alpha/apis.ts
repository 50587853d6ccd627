import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { CodeRunnerClient, coderunnerApiRef } from '../api';

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
