// Run from source with tsx by the benchmarks, never built or published: it drives the backend
// plugin's internals (src/...) directly and finds the repository with __dirname.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    '@backstage/no-forbidden-package-imports': 'off',
    'no-restricted-syntax': 'off',
  },
});
