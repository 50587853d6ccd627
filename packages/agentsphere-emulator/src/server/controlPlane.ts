import http from 'node:http';
import { EmulatedSandbox } from '../sandboxes/EmulatedSandbox';
import { SandboxRegistry } from '../sandboxes/SandboxRegistry';
import { sampleUsage } from '../sandboxes/usage';
import {
  credentialMatches,
  parseJson,
  readBody,
  sendEmpty,
  sendJson,
} from './http';

const ENVD_VERSION = '0.2.0';

export interface ControlPlaneOptions {
  registry: SandboxRegistry;
  /** Whether sandboxes are isolated; unisolated ones share the host's network. */
  isolated: boolean;
  templates: string[];
  apiKey: string;
}

/** AgentSphere's words for a sandbox that is gone, never existed or is another team's. */
function notFound(res: http.ServerResponse, id: string) {
  sendJson(res, 404, {
    code: 404,
    message: `Sandbox "${id}" doesn't exist or you don't have access to it`,
  });
}

function listed(sandbox: EmulatedSandbox) {
  return {
    sandboxID: sandbox.spec.sandboxID,
    clientID: sandbox.spec.clientID,
    templateID: sandbox.spec.templateID,
    state: 'running',
    cpuCount: 2,
    memoryMB: 512,
    metadata: sandbox.spec.metadata,
    startedAt: sandbox.startedAt.toISOString(),
    endAt: sandbox.spec.endAt.toISOString(),
    envdVersion: ENVD_VERSION,
  };
}

/** `GET /sandboxes?metadata=` carries `k=v&...` with keys and values URL-encoded once more. */
function metadataFilter(query: string | null): Record<string, string> {
  const filter: Record<string, string> = {};
  if (!query) {
    return filter;
  }
  for (const [key, value] of new URLSearchParams(query)) {
    filter[safeDecode(key)] = safeDecode(value);
  }
  return filter;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The control plane REST API at `api.<domain>`. */
export async function handleControlPlane(
  options: ControlPlaneOptions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<void> {
  if (!credentialMatches(req.headers['x-api-key'], options.apiKey)) {
    sendJson(res, 401, {
      code: 401,
      message: req.headers['x-api-key']
        ? 'Invalid API key'
        : 'Missing API key: send it in the X-API-KEY header',
    });
    return;
  }
  const { registry } = options;
  const body = parseJson(await readBody(req));
  const segments = url.pathname.split('/').filter(Boolean);
  const method = req.method ?? 'GET';

  if (segments[0] !== 'sandboxes') {
    sendJson(res, 404, {
      code: 404,
      message: `no route ${method} ${url.pathname}`,
    });
    return;
  }

  if (segments.length === 1 && method === 'POST') {
    const templateID = String(body.templateID ?? 'base');
    if (!options.templates.includes(templateID)) {
      sendJson(res, 404, {
        code: 404,
        message: `template '${templateID}' not found`,
      });
      return;
    }
    // AgentSphere's `allowInternetAccess` (sent as `allow_internet_access`; SDK 1.0.3 has
    // no option for it and leaves it out).
    const allowInternetAccess = body.allow_internet_access;
    if (
      allowInternetAccess !== undefined &&
      typeof allowInternetAccess !== 'boolean'
    ) {
      sendJson(res, 400, {
        code: 400,
        message: 'allow_internet_access must be true or false',
      });
      return;
    }
    if (allowInternetAccess === false && !options.isolated) {
      sendJson(res, 400, {
        code: 400,
        message:
          'allow_internet_access: false needs isolated sandboxes; this emulator runs with isolation: none, where sandboxes share the host network',
      });
      return;
    }
    const sandbox = await registry.create({
      allowInternetAccess,
      templateID,
      metadata: body.metadata,
      envVars: body.envVars,
      timeoutSeconds: Number(body.timeout ?? 15),
      secure: Boolean(body.secure),
    });
    sendJson(res, 201, {
      sandboxID: sandbox.spec.sandboxID,
      clientID: sandbox.spec.clientID,
      templateID,
      envdVersion: ENVD_VERSION,
      ...(sandbox.spec.envdAccessToken && {
        envdAccessToken: sandbox.spec.envdAccessToken,
      }),
    });
    return;
  }

  if (segments.length === 1 && method === 'GET') {
    const filter = metadataFilter(url.searchParams.get('metadata'));
    const states = url.searchParams.getAll('state');
    const wantsRunning =
      states.length === 0 ||
      states.some(state => state.split(',').includes('running'));
    const sandboxes = wantsRunning
      ? registry
          .list()
          .filter(sandbox =>
            Object.entries(filter).every(
              ([key, value]) => sandbox.spec.metadata[key] === value,
            ),
          )
      : [];
    sendJson(res, 200, sandboxes.map(listed));
    return;
  }

  const id = segments[1];
  const sandbox = registry.get(id);
  if (!sandbox) {
    notFound(res, id);
    return;
  }
  const action = segments.slice(2).join('/');

  if (action === '' && method === 'GET') {
    sendJson(res, 200, {
      ...listed(sandbox),
      envdAccessToken: sandbox.spec.envdAccessToken,
    });
  } else if (action === '' && method === 'DELETE') {
    await registry.kill(id);
    sendEmpty(res, 204);
  } else if (action === 'timeout' && method === 'POST') {
    registry.setTimeout(sandbox, Number(body.timeout ?? 15));
    sendEmpty(res, 204);
  } else if (action === 'metrics' && method === 'GET') {
    sendJson(res, 200, [await sampleUsage(sandbox)]);
  } else {
    sendJson(res, 404, {
      code: 404,
      message: `no route ${method} ${url.pathname}`,
    });
  }
}
