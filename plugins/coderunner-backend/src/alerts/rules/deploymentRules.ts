import { Knex } from 'knex';
import { entityTabPath } from '../links';
import { AlertCondition, AlertRule } from '../types';

/** Same as the reconciler's: this many restarts of one instance in a row make a crash loop. */
const CRASH_LOOP_RESTARTS = 3;
/** A health-check replacement stays an alert this long after the instance was taken out. */
const REPLACEMENT_WINDOW_MS = 15 * 60_000;

/**
 * Crash loop: an instance of the release being served or rolled out has restarted at least
 * three times in a row without becoming ready (the reconciler's definition). Critical.
 *
 * @internal
 */
export function crashLoopRule(knex: Knex): AlertRule {
  return {
    id: 'crash-loop',
    async evaluate() {
      const rows: Array<{
        entity_ref: string;
        environment: string;
        restarts: number;
        reason: string | null;
        last_exit_code: number | null;
      }> = await knex('coderunner_instances as i')
        .join('coderunner_deployments as d', 'd.id', 'i.deployment_id')
        .where('d.desired_state', 'running')
        .andWhere('i.restarts', '>=', CRASH_LOOP_RESTARTS)
        .whereNotIn('i.state', ['ready', 'stopped', 'draining', 'unhealthy'])
        .andWhere(q =>
          q
            .whereRaw('i.release_id = d.target_release_id')
            .orWhere(q2 =>
              q2
                .whereNull('d.target_release_id')
                .andWhereRaw('i.release_id = d.active_release_id'),
            ),
        )
        .select(
          'd.entity_ref',
          'd.environment',
          'i.restarts',
          'i.reason',
          'i.last_exit_code',
        );
      const byDeployment = new Map<string, AlertCondition>();
      for (const row of rows) {
        const key = `crash-loop:${row.entity_ref}:${row.environment}`;
        if (byDeployment.has(key)) continue;
        byDeployment.set(key, {
          key,
          entityRef: row.entity_ref,
          environment: row.environment,
          severity: 'critical',
          title: `Crash loop in ${row.environment}`,
          description: `An instance of ${row.entity_ref} in ${
            row.environment
          } keeps exiting (restarted ${row.restarts} times in a row${
            row.last_exit_code !== null
              ? `, last exit code ${row.last_exit_code}`
              : ''
          }): ${row.reason ?? 'no reason recorded'}`,
          link: entityTabPath(row.entity_ref, 'logs'),
        });
      }
      return [...byDeployment.values()];
    },
  };
}

/**
 * Rollout failed: the deployment's last rollout failed (its release did not build, or its
 * target release is missing). Critical when nothing serves; a warning while the previous
 * release keeps serving.
 *
 * @internal
 */
export function rolloutFailedRule(knex: Knex): AlertRule {
  return {
    id: 'rollout-failed',
    async evaluate() {
      const rows: Array<{
        entity_ref: string;
        environment: string;
        status_reason: string | null;
        active_release_id: string | null;
      }> = await knex('coderunner_deployments')
        .where({ desired_state: 'running', status: 'failed' })
        .select(
          'entity_ref',
          'environment',
          'status_reason',
          'active_release_id',
        );
      return rows.map(row => ({
        key: `rollout-failed:${row.entity_ref}:${row.environment}`,
        entityRef: row.entity_ref,
        environment: row.environment,
        severity: row.active_release_id ? 'warning' : 'critical',
        title: `Rollout failed in ${row.environment}`,
        description: `${row.entity_ref} in ${row.environment}: ${
          row.status_reason ?? 'the rollout failed'
        }`,
        link: entityTabPath(row.entity_ref, 'deployments'),
      }));
    },
  };
}

/**
 * Instance replaced for failing health: the health prober took an instance out of service in
 * the last 15 minutes (its log line "… failed N health checks in a row …; replacing it"). A
 * warning, resolved 15 minutes after the last replacement.
 *
 * @internal
 */
export function healthReplacementRule(knex: Knex): AlertRule {
  return {
    id: 'instance-replaced',
    async evaluate(now) {
      const since = new Date(now.getTime() - REPLACEMENT_WINDOW_MS);
      const rows: Array<{
        entity_ref: string;
        environment: string;
        replacements: number | string;
      }> = await knex('coderunner_log_lines as l')
        .join('coderunner_deployments as d', 'd.id', 'l.deployment_id')
        .where('d.desired_state', 'running')
        .andWhere('l.created_at', '>=', since)
        .andWhere('l.stream', 'system')
        .andWhere('l.line', 'like', '%health checks in a row%replacing it')
        .groupBy('d.entity_ref', 'd.environment')
        .select('d.entity_ref', 'd.environment')
        .count({ replacements: '*' });
      return rows.map(row => ({
        key: `instance-replaced:${row.entity_ref}:${row.environment}`,
        entityRef: row.entity_ref,
        environment: row.environment,
        severity: 'warning',
        title: `Instance replaced after failing health checks in ${row.environment}`,
        description: `${row.entity_ref} in ${row.environment}: ${Number(
          row.replacements,
        )} instance(s) failed their health checks in a row and were replaced in the last 15 minutes`,
        link: entityTabPath(row.entity_ref, 'logs'),
      }));
    },
  };
}

/**
 * AgentSphere unreachable: the runtime's health check is failing (circuit breaker open, or the
 * API key refused). Every entity with a running deployment gets a critical alert, since nothing
 * of it can be started, restarted or scaled meanwhile.
 *
 * @internal
 */
export function runtimeUnreachableRule(
  knex: Knex,
  check: () =>
    | Promise<{ status: 'ok' | 'failing'; detail: string }>
    | { status: 'ok' | 'failing'; detail: string },
  runtimeName: string,
): AlertRule {
  return {
    id: 'runtime-unreachable',
    async evaluate() {
      const health = await check();
      if (health.status === 'ok') return [];
      const rows: Array<{ entity_ref: string }> = await knex(
        'coderunner_deployments',
      )
        .where('desired_state', 'running')
        .distinct('entity_ref');
      return rows.map(row => ({
        key: `runtime-unreachable:${row.entity_ref}`,
        entityRef: row.entity_ref,
        severity: 'critical',
        title: `${runtimeName} is unreachable`,
        description: `CodeRunner cannot reach ${runtimeName} (${health.detail}): the deployments of ${row.entity_ref} cannot be started, restarted or scaled until it answers again.`,
        link: entityTabPath(row.entity_ref, 'deployments'),
      }));
    },
  };
}
