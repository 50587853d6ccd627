/**
 * A permission policy for portals with CodeRunner: roles from catalog membership in app-config.
 *
 * @packageDocumentation
 */

export { permissionModuleCodeRunnerPolicy as default } from './module';
export { CodeRunnerPermissionPolicy } from './CodeRunnerPermissionPolicy';
