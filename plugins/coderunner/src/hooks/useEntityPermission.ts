import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  coderunnerConfigWritePermission,
  coderunnerDeployPermission,
  coderunnerInstanceExecPermission,
  coderunnerScalingWritePermission,
  coderunnerSecretRevealPermission,
} from '@coderunner/plugin-coderunner-common';
import { coderunnerTranslationRef } from '../translation';

/** Whether the signed-in user may take an action on an entity, and if not, why not. */
export interface ActionPermit {
  allowed: boolean;
  /** The decision is still on its way; the action stays unavailable meanwhile. */
  loading: boolean;
  /** What the user reads when the action is unavailable. */
  reason: string;
}

/** The permission of each action; what a refused user reads is the message `permittedButton.<action>`. */
const PERMISSIONS = {
  deploy: coderunnerDeployPermission,
  configWrite: coderunnerConfigWritePermission,
  scalingWrite: coderunnerScalingWritePermission,
  exec: coderunnerInstanceExecPermission,
  revealSecrets: coderunnerSecretRevealPermission,
};

/**
 * Asks the permission backend whether the user may take `action` on the entity. The policy
 * decides with the entity in hand (e.g. "owners may deploy"), as the backend does on the call.
 */
export function useEntityPermission(
  action: keyof typeof PERMISSIONS,
  entityRef: string,
): ActionPermit {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { allowed, loading } = usePermission({
    permission: PERMISSIONS[action],
    resourceRef: entityRef,
  });
  return { allowed, loading, reason: t(`permittedButton.${action}`) };
}
