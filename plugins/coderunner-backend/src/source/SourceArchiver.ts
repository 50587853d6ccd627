import { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { Entity } from '@backstage/catalog-model';
import fs from 'node:fs/promises';
import { create as createTar } from 'tar';
import { EntitySourceReader } from './EntitySourceReader';

/** The largest source snapshot CodeRunner takes, gzipped. */
export const MAX_SOURCE_BYTES = 50 * 1024 * 1024;

/** Folders never worth shipping to a sandbox: the build recreates them. */
const SKIPPED = new Set(['node_modules', '.git', '__pycache__', '.venv']);

/**
 * A snapshot of a component's source, as a gzipped tar archive.
 *
 * @internal
 */
export interface SourceSnapshot {
  archive: Buffer;
  /** Where the source came from, for people. */
  summary: string;
  /** The source's revision (an ETag or commit) when the reader reports one. */
  revision?: string;
}

/**
 * Takes snapshots of entities' source: through Backstage's UrlReader `readTree` for URLs, or
 * from the local folder of a file-based catalog entity.
 *
 * @internal
 */
export class SourceArchiver {
  constructor(
    private readonly sourceReader: EntitySourceReader,
    private readonly urlReader: UrlReaderService,
  ) {}

  async snapshot(entity: Entity): Promise<SourceSnapshot> {
    const source = this.sourceReader.locateSource(entity);
    if (!source) {
      throw new InputError(
        'The entity has no backstage.io/source-location annotation, so there is no source to deploy.',
      );
    }
    if (source.type === 'dir') {
      return {
        archive: await packDirectory(
          await this.sourceReader.localDirectory(source),
        ),
        summary: source.target,
      };
    }
    const tree = await this.urlReader.readTree(source.target);
    const dir = await tree.dir();
    try {
      return {
        archive: await packDirectory(dir),
        summary: source.target,
        revision: tree.etag,
      };
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
}

async function packDirectory(dir: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = createTar(
    {
      gzip: true,
      cwd: dir,
      portable: true,
      filter: path => !path.split('/').some(part => SKIPPED.has(part)),
    },
    ['.'],
  );
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_SOURCE_BYTES) {
      throw new InputError(
        `The source is larger than ${
          MAX_SOURCE_BYTES / 1024 / 1024
        } MiB compressed; leave build output and dependencies out of it.`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
