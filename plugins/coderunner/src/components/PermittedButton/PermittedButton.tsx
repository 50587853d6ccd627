import Button, { ButtonProps } from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import { ActionPermit } from '../../hooks/useEntityPermission';

/**
 * A button for an action the user may not be allowed to take: disabled while the decision
 * loads, and disabled with a tooltip that says why when it is denied.
 */
export function PermittedButton(props: ButtonProps & { permit: ActionPermit }) {
  const { permit, disabled, ...buttonProps } = props;
  const button = (
    <Button {...buttonProps} disabled={disabled || !permit.allowed} />
  );
  if (permit.allowed || permit.loading) return button;
  return (
    <Tooltip title={permit.reason}>
      {/* A disabled button gets no pointer events; the span shows the tooltip instead. */}
      <span data-testid="coderunner-permission-denied">{button}</span>
    </Tooltip>
  );
}
