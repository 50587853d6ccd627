module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  restrictedImports: [
    {
      // Like the icons: the barrel pulls all of Material UI into the bundle's dependency graph.
      name: '@material-ui/core',
      message: "Please import '@material-ui/core/<Component>' instead.",
    },
  ],
});
