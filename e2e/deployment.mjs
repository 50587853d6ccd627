// The CodeRunner API as the signed-in guest sees it, for browser tests that need a running
// deployment before they look at a tab.
import assert from 'node:assert/strict';
import { eventually } from './browser.mjs';

const BACKEND_URL = process.env.BACKEND_URL ?? 'http://localhost:7007';

/** The Authorization header of the guest signed in on `page`. */
export async function guestHeaders(page) {
  const refresh = await page.request.get(
    `${BACKEND_URL}/api/auth/guest/refresh`,
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  return {
    authorization: `Bearer ${(await refresh.json()).backstageIdentity.token}`,
  };
}

/**
 * The entity's deployment in `environment` once it is Ready with a URL and no release still
 * rolling out, deploying it through the API first unless it is Ready with a URL already.
 */
export async function readyDeployment(
  page,
  entity = 'component/default/hello-node',
  environment = 'development',
) {
  const deployments = `${BACKEND_URL}/api/coderunner/entities/${entity}/deployments`;
  const headers = await guestHeaders(page);
  const read = async () => {
    const response = await page.request.get(deployments, { headers });
    assert.ok(response.ok(), `deployments answered ${response.status()}`);
    return (await response.json()).items.find(
      d => d.environment === environment,
    );
  };
  const current = await read();
  if (!(current?.status === 'ready' && current.url)) {
    const deploy = await page.request.post(
      `${deployments}/${environment}/deploy`,
      { headers, data: {} },
    );
    assert.ok(
      deploy.ok(),
      `deploy answered ${deploy.status()}: ${await deploy.text()}`,
    );
  }
  return eventually(
    `${environment} to be Ready`,
    async () => {
      const deployment = await read();
      if (deployment?.status === 'failed')
        throw new Error(`deploy failed: ${deployment.statusReason}`);
      return (
        deployment?.status === 'ready' &&
        !deployment.targetRelease &&
        deployment.url &&
        deployment
      );
    },
    300_000,
  );
}
