import { Config } from '@backstage/config';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';

const KEY = 'coderunner.source.localRoots';

/** The folder of the nearest package.json above `dir` that declares workspaces: the repo. */
function workspaceRoot(dir: string): string {
  for (let current = dir; ; current = path.dirname(current)) {
    try {
      const manifest = JSON.parse(
        fs.readFileSync(path.join(current, 'package.json'), 'utf8'),
      );
      if (manifest.workspaces) return current;
    } catch {
      // No package.json here: look further up.
    }
    if (path.dirname(current) === current) return dir;
  }
}

const isInside = (child: string, parent: string) =>
  child === parent ||
  child.startsWith(parent.endsWith(path.sep) ? parent : `${parent}${path.sep}`);

/**
 * The folders on the backend's machine that entities with a `file:` or `dir:` source location
 * may deploy from (`coderunner.source.localRoots`). Anyone who may register a catalog location
 * chooses those annotations, so without this check any folder of the host, the portal's own
 * app-config included, could be shipped into a sandbox.
 *
 * @internal
 */
export class LocalSourceRoots {
  private constructor(private readonly roots: string[]) {}

  /**
   * Reads `coderunner.source.localRoots`; relative folders are relative to the backend's
   * working directory, as catalog `file` locations are. Unset: the repo's `examples` folder
   * and, when set, the scaffolder's `coderunner.scaffolder.localComponentsDir`.
   */
  static fromConfig(config: Config, cwd = process.cwd()): LocalSourceRoots {
    const configured = config.getOptionalStringArray(KEY);
    if (configured) {
      return new LocalSourceRoots(
        configured.map(root => path.resolve(cwd, root)),
      );
    }
    const roots = [path.join(workspaceRoot(cwd), 'examples')];
    const components = config.getOptionalString(
      'coderunner.scaffolder.localComponentsDir',
    );
    if (components) roots.push(path.resolve(cwd, components));
    return new LocalSourceRoots(roots);
  }

  /** Exactly these folders (absolute paths), for tests and embedders. */
  static of(roots: string[]): LocalSourceRoots {
    return new LocalSourceRoots(roots.map(root => path.resolve(root)));
  }

  /**
   * The real path of `dir` (a folder or file; symlinks and `..` resolved) when it lies under
   * a root. Anything else is refused before a byte is read, naming the key that allows it.
   */
  async resolve(dir: string): Promise<string> {
    const refuse = () =>
      new NotAllowedError(
        `CodeRunner deploys local source only from folders under ${KEY}; ${dir} is not under one. Add its folder to ${KEY} in app-config, or give the entity a URL source location.`,
      );
    const roots = await Promise.all(
      this.roots.map(async root => [
        root,
        await fs.promises.realpath(root).catch(() => undefined),
      ]),
    );
    const candidates = roots.flat().filter((r): r is string => r !== undefined);
    if (!candidates.some(root => isInside(path.resolve(dir), root)))
      throw refuse();
    const real = await fs.promises.realpath(dir).catch(error => {
      if (error.code === 'ENOENT') {
        throw new NotFoundError(`${dir} does not exist.`);
      }
      throw error;
    });
    if (
      !roots.some(
        ([, realRoot]) => realRoot !== undefined && isInside(real, realRoot),
      )
    ) {
      throw refuse();
    }
    return real;
  }
}
