import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { ReactNode } from 'react';

/** How a state looks: which Backstage status icon it gets. */
export type StatusKind = 'ok' | 'pending' | 'warning' | 'error' | 'aborted';

const ICONS = {
  ok: StatusOK,
  pending: StatusPending,
  warning: StatusWarning,
  error: StatusError,
  aborted: StatusAborted,
};

/** A Backstage status icon with its label, e.g. a green dot and "Ready". */
export function StatusLabel(props: { kind: StatusKind; children: ReactNode }) {
  const Icon = ICONS[props.kind];
  return (
    <span data-status={props.kind}>
      <Icon>{props.children}</Icon>
    </span>
  );
}
