// A benchmark run from source with tsx, never built or published: it drives the backend
// plugin's internals (src/...) directly and finds its sibling scripts with __dirname.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    '@backstage/no-forbidden-package-imports': 'off',
    'no-restricted-syntax': 'off',
  },
});
