import { readFileSync } from 'fs';
import { resolve } from 'path';
import {
  manifestJsonSchema,
  renderManifestJsonSchema,
} from './manifestJsonSchema';

describe('manifestJsonSchema', () => {
  it('matches the committed schema/coderunner.schema.json', () => {
    const committed = readFileSync(
      resolve(__dirname, '..', '..', 'schema', 'coderunner.schema.json'),
      'utf8',
    );
    // When this fails, run `npx tsx scripts/write-schema.ts` in plugins/coderunner-common and commit the result.
    expect(committed).toBe(renderManifestJsonSchema());
  });

  it('is a closed draft 2020-12 schema that requires apiVersion', () => {
    expect(manifestJsonSchema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      required: ['apiVersion'],
      additionalProperties: false,
    });
  });

  it('describes env names, reserved names included', () => {
    expect(manifestJsonSchema).toMatchObject({
      properties: {
        env: {
          propertyNames: {
            pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
            not: { anyOf: [{ enum: ['PORT'] }, { pattern: '^CODERUNNER_' }] },
          },
          additionalProperties: { type: ['string', 'number', 'boolean'] },
        },
      },
    });
  });

  it('applies the default kind to manifests without one', () => {
    const [service, worker] = manifestJsonSchema.allOf as Array<{ if: object }>;
    expect(service.if).toEqual({ properties: { kind: { const: 'service' } } });
    expect(worker.if).toEqual({
      properties: { kind: { const: 'worker' } },
      required: ['kind'],
    });
  });
});
