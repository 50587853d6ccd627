import { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import {
  CODERUNNER_MANIFEST_ANNOTATION,
  DEFAULT_MANIFEST_PATH,
} from '@coderunner/plugin-coderunner-common';
import { isError, NotFoundError } from '@backstage/errors';
import fs from 'node:fs/promises';
import path from 'node:path';
import { LocalSourceRoots } from './LocalSourceRoots';

/** The largest manifest CodeRunner reads; real ones are a few hundred bytes. */
export const MAX_MANIFEST_BYTES = 64 * 1024;

/**
 * Where an entity's source lives: a URL read through Backstage's UrlReader, or a local
 * directory next to a `file:` catalog location (the example entities).
 *
 * @internal
 */
export type EntitySource =
  | { type: 'url'; target: string }
  | { type: 'dir'; target: string };

/**
 * The outcome of looking for an entity's manifest.
 *
 * @internal
 */
export interface ManifestLookup {
  manifestPath: string;
  source?: EntitySource;
  content?: string;
  /** Set when there is no content; says what is missing and what to do. */
  problem?: string;
}

/**
 * Finds and reads the source of catalog entities.
 *
 * @internal
 */
export class EntitySourceReader {
  static create(options: {
    urlReader: UrlReaderService;
    localRoots: LocalSourceRoots;
  }) {
    return new EntitySourceReader(options.urlReader, options.localRoots);
  }

  private constructor(
    private readonly urlReader: UrlReaderService,
    private readonly localRoots: LocalSourceRoots,
  ) {}

  /**
   * The real path of a local source folder, when it is under `coderunner.source.localRoots`;
   * refused otherwise.
   */
  async localDirectory(
    source: EntitySource & { type: 'dir' },
  ): Promise<string> {
    return this.localRoots.resolve(source.target);
  }

  /** Where the entity's source lives, or undefined when the catalog does not say. */
  locateSource(entity: Entity): EntitySource | undefined {
    const annotations = entity.metadata.annotations ?? {};
    const candidates = [
      annotations[ANNOTATION_SOURCE_LOCATION],
      annotations[ANNOTATION_LOCATION],
    ];
    for (const candidate of candidates) {
      if (!candidate) {
        continue;
      }
      const { type, target } = parseLocationRef(candidate);
      if (type === 'url') {
        return {
          type: 'url',
          target: target.endsWith('/') ? target : `${target}/`,
        };
      }
      if (type === 'file') {
        // A catalog file location: the source is the folder holding catalog-info.yaml.
        return { type: 'dir', target: path.dirname(target) };
      }
      if (type === 'dir') {
        return { type: 'dir', target };
      }
    }
    return undefined;
  }

  async readManifest(entity: Entity): Promise<ManifestLookup> {
    const manifestPath =
      entity.metadata.annotations?.[CODERUNNER_MANIFEST_ANNOTATION] ??
      DEFAULT_MANIFEST_PATH;
    if (
      path.posix.isAbsolute(manifestPath) ||
      manifestPath.split('/').includes('..')
    ) {
      return {
        manifestPath,
        problem: `The ${CODERUNNER_MANIFEST_ANNOTATION} annotation must be a path inside the component's source, like "deploy/coderunner.yaml"; got "${manifestPath}".`,
      };
    }
    const source = this.locateSource(entity);
    if (!source) {
      return {
        manifestPath,
        problem: `The entity has no ${ANNOTATION_SOURCE_LOCATION} annotation, so CodeRunner cannot find its source and ${manifestPath}.`,
      };
    }
    try {
      const content =
        source.type === 'url'
          ? await this.readUrlFile(
              new URL(manifestPath, source.target).toString(),
            )
          : await this.readLocalFile(source.target, manifestPath);
      if (content === undefined) {
        return {
          manifestPath,
          source,
          problem: `There is no ${manifestPath} in the component's source (${source.target}).`,
        };
      }
      return { manifestPath, source, content };
    } catch (error) {
      const message = isError(error) ? error.message : String(error);
      return {
        manifestPath,
        source,
        problem: `Could not read ${manifestPath} from ${source.target}: ${message}`,
      };
    }
  }

  private async readUrlFile(url: string): Promise<string | undefined> {
    try {
      const response = await this.urlReader.readUrl(url);
      const buffer = await response.buffer();
      return decodeLimited(buffer);
    } catch (error) {
      if (isError(error) && error.name === 'NotFoundError') {
        return undefined;
      }
      throw error;
    }
  }

  private async readLocalFile(
    dir: string,
    relativePath: string,
  ): Promise<string | undefined> {
    let file: string;
    try {
      file = await this.localRoots.resolve(path.resolve(dir, relativePath));
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
    return readLimited(file);
  }
}

async function readLimited(file: string): Promise<string | undefined> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) {
      return undefined;
    }
    if (stat.size > MAX_MANIFEST_BYTES) {
      throw new Error(
        `it is ${stat.size} bytes; the limit is ${MAX_MANIFEST_BYTES} bytes`,
      );
    }
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (isError(error) && (error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

function decodeLimited(buffer: Buffer): string {
  if (buffer.length > MAX_MANIFEST_BYTES) {
    throw new Error(
      `it is ${buffer.length} bytes; the limit is ${MAX_MANIFEST_BYTES} bytes`,
    );
  }
  return buffer.toString('utf8');
}
