import { usePermission } from '@backstage/plugin-permission-react';
import {
  coderunnerConfigWritePermission,
  coderunnerDeployPermission,
  coderunnerInstanceExecPermission,
  coderunnerScalingWritePermission,
  coderunnerSecretRevealPermission,
} from '@coderunner/plugin-coderunner-common';

/** Whether the signed-in user may take an action on an entity, and if not, why not. */
export interface ActionPermit {
  allowed: boolean;
  /** The decision is still on its way; the action stays unavailable meanwhile. */
  loading: boolean;
  /** What the user reads when the action is unavailable. */
  reason: string;
}

const ACTIONS = {
  deploy: {
    permission: coderunnerDeployPermission,
    reason:
      'Only the owners of this component (and CodeRunner operators) may deploy, roll back, restart, stop or delete it',
  },
  configWrite: {
    permission: coderunnerConfigWritePermission,
    reason:
      'Only the owners of this component (and CodeRunner operators) may change its configuration',
  },
  scalingWrite: {
    permission: coderunnerScalingWritePermission,
    reason:
      'Only the owners of this component (and CodeRunner operators) may change its scaling',
  },
  exec: {
    permission: coderunnerInstanceExecPermission,
    reason:
      'Only the owners of this component (and CodeRunner operators) may open a terminal in its instances',
  },
  revealSecrets: {
    permission: coderunnerSecretRevealPermission,
    reason:
      'Only the owners of this component (and CodeRunner operators) may see secret values',
  },
};

/**
 * Asks the permission backend whether the user may take `action` on the entity. The policy
 * decides with the entity in hand (e.g. "owners may deploy"), as the backend does on the call.
 */
export function useEntityPermission(
  action: keyof typeof ACTIONS,
  entityRef: string,
): ActionPermit {
  const { permission, reason } = ACTIONS[action];
  const { allowed, loading } = usePermission({
    permission,
    resourceRef: entityRef,
  });
  return { allowed, loading, reason };
}
