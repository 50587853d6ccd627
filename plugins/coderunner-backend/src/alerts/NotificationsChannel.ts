import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationSeverity } from '@backstage/plugin-notifications-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { AlertSeverity } from '@coderunner/plugin-coderunner-common';
import { AlertChannel, AlertEvent } from '@coderunner/plugin-coderunner-node';

const SEVERITY: Record<AlertSeverity, NotificationSeverity> = {
  critical: 'critical',
  warning: 'high',
  info: 'normal',
};

/** The notification topic of CodeRunner alerts (users can mute it in their settings). */
export const ALERTS_TOPIC = 'coderunner-alerts';

/**
 * Who is told about an entity's alerts: its owners from the catalog (the `ownedBy` relations,
 * else `spec.owner`); a group or user is its own owner. Nobody when the entity is not in the
 * catalog, so an alert never reaches users outside the entity's ownership.
 *
 * @internal
 */
export function ownersOf(entity: Entity): string[] {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  if (kind === 'group' || kind === 'user') return [stringifyEntityRef(entity)];
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  if (related.length > 0) return [...new Set(related)];
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || owner.length === 0) return [];
  return [
    stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ),
  ];
}

/**
 * An alert's text as both plain text and HTML read it alike. Alert text carries what apps
 * print (a crash loop's last output) and what people type, and the notifications email module
 * puts a notification's description into the mail's HTML as it is: without this, an app (or
 * a visitor whose input it logs) could put links and markup into its owners' mail. `<`
 * becomes the look-alike `‹`, so no tag, comment or link markup survives.
 */
function notificationText(text: string): string {
  return text.replace(/</g, '\u2039');
}

/**
 * The built-in channel: Backstage notifications to the entity's owners (which the
 * notifications backend resolves to their users, and its processors, such as the email module,
 * send on), with the severity mapped and a link to the tab that shows the problem. The title
 * and description go through `notificationText`.
 *
 * @internal
 */
export class NotificationsChannel implements AlertChannel {
  readonly name = 'notifications';

  constructor(
    private readonly notifications: NotificationService,
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async deliver(event: AlertEvent): Promise<void> {
    const { alert } = event;
    const entity = await this.catalog.getEntityByRef(alert.entityRef, {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
    const owners = entity ? ownersOf(entity) : [];
    if (owners.length === 0) return;
    const resolved = event.type === 'resolved';
    await this.notifications.send({
      recipients: { type: 'entity', entityRef: owners },
      payload: {
        title: notificationText(
          resolved
            ? `Resolved: ${alert.title} (${alert.entityRef})`
            : `${alert.title} (${alert.entityRef})`,
        ),
        description: notificationText(
          resolved
            ? `Resolved at ${alert.resolvedAt}. ${alert.description}`
            : alert.description,
        ),
        link: alert.link,
        severity: resolved ? 'low' : SEVERITY[alert.severity],
        topic: ALERTS_TOPIC,
        // One notification per alert and state: an escalation updates the opening one.
        scope: `coderunner-alert:${alert.id}:${resolved ? 'resolved' : 'open'}`,
      },
    });
  }
}
