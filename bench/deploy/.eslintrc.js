// A benchmark drives the backend's internals directly, the way its tests do.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    '@backstage/no-forbidden-package-imports': 'off',
    'no-restricted-syntax': 'off',
  },
});
