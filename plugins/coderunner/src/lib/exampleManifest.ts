/**
 * The smallest useful `coderunner.yaml`, shown where a component has none:
 * a Node.js HTTP service with a health check.
 */
export const EXAMPLE_MANIFEST = `apiVersion: coderunner.io/v1
runtime:
  template: base
build:
  install: npm ci
run:
  command: node server.js
  port: 3000
  health:
    path: /healthz
`;
