import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

// Finding: the example template's skeleton pasted template values into catalog-info.yaml as
// they were, so a description with a line break could add keys, e.g. a source location
// pointing at the host. Now every value is written with `| dump` (a JSON string, one YAML
// scalar) and the owner parameter has a pattern.

const repo = path.resolve(__dirname, '../../../..');
const template = path.join(repo, 'examples', 'templates', 'deploy-example');

// The scaffolder's own renderer (what fetch:template runs), loaded from the dev portal's
// dependencies: CodeRunner itself does not depend on the scaffolder backend.
const fromPortal = createRequire(
  path.join(repo, 'packages', 'backend', 'package.json'),
);
const fromScaffolder = createRequire(
  fromPortal.resolve('@backstage/plugin-scaffolder-backend'),
);
const { createTemplateRenderer } = fromScaffolder('nunjitsu');

function render(file: string, values: Record<string, string>): string {
  const renderer = createTemplateRenderer({ allowRegexExecution: true });
  const content = fs.readFileSync(
    path.join(template, 'skeleton', file),
    'utf8',
  );
  return renderer.render(content, renderer.prepareContext({ values }));
}

const injections = [
  'Nice service\n  annotations:\n    backstage.io/source-location: dir:/\nspec:\n  owner: user:default/mallory',
  'x" \nspec: {owner: mallory}',
  "it's {a: 1} # not a comment",
  '"quoted", \\backslash\\ and \u2028 separators',
];

describe('template values in the example skeleton', () => {
  it.each(injections)('writes %j as one value, adding no keys', description => {
    const values = {
      name: 'svc',
      description,
      owner: 'group:default/platform\nkind: User',
    };
    const entity = parseYaml(render('catalog-info.yaml', values));
    expect(entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'svc', description, tags: ['nodejs', 'http'] },
      spec: {
        type: 'service',
        lifecycle: 'experimental',
        owner: 'group:default/platform\nkind: User',
        system: 'coderunner-examples',
      },
    });
    expect(JSON.parse(render('package.json', values))).toMatchObject({
      name: 'svc',
      description,
    });
    expect(parseYaml(render('coderunner.yaml', values)).env).toEqual({
      GREETING: 'Hello from svc',
    });
  });

  it('refuses an owner that is not an entity reference before anything is rendered', () => {
    const spec = parseYaml(
      fs.readFileSync(path.join(template, 'template.yaml'), 'utf8'),
    ).spec;
    const owner = spec.parameters.find((p: any) => p.properties?.owner)
      .properties.owner;
    const pattern = new RegExp(owner.pattern);
    expect(pattern.test('group:default/platform')).toBe(true);
    expect(pattern.test('user:ada')).toBe(true);
    expect(pattern.test('group:default/platform\nkind: User')).toBe(false);
  });
});
