import {
  ScalingDecisionRecord,
  ScalingMemory,
  ScalingPolicyOverride,
  ScalingPolicyOverrideValues,
} from '@coderunner/plugin-coderunner-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import {
  NewScalingDecision,
  ScalingStore,
  StoredHold,
  StoredScalingState,
} from './ScalingStore';

const VERSIONS = 'coderunner_scaling_policy_versions';
const STATE = 'coderunner_scaling_state';
const DECISIONS = 'coderunner_scaling_decisions';

type VersionRow = {
  deployment_id: string;
  version: number;
  policy_values: string;
  created_by: string;
  created_at: number | string;
};

type StateRow = {
  deployment_id: string;
  paused_by: string | null;
  paused_at: number | string | null;
  paused_reason: string | null;
  hold_instances: number | null;
  hold_reason: string | null;
  hold_expires_at: number | string | null;
  hold_by: string | null;
  hold_at: number | string | null;
  engine_memory: string | null;
  updated_at: number | string;
};

type DecisionRow = {
  seq: number;
  id: string;
  deployment_id: string;
  at: number | string;
  tick: number | string | null;
  from_count: number;
  to_count: number;
  direction: string;
  cause: string;
  explanation: string;
  inputs: string;
  decided_by: string | null;
};

const num = (value: number | string | null | undefined) =>
  value === null || value === undefined ? undefined : Number(value);

function toOverride(row: VersionRow): ScalingPolicyOverride {
  return {
    version: row.version,
    by: row.created_by,
    at: new Date(Number(row.created_at)).toISOString(),
    values: JSON.parse(row.policy_values),
  };
}

function toDecision(row: DecisionRow): ScalingDecisionRecord {
  return {
    id: row.id,
    at: new Date(Number(row.at)).toISOString(),
    from: row.from_count,
    to: row.to_count,
    direction: row.direction as ScalingDecisionRecord['direction'],
    cause: row.cause as ScalingDecisionRecord['cause'],
    explanation: row.explanation,
    inputs: JSON.parse(row.inputs),
    ...(row.decided_by ? { by: row.decided_by } : {}),
  };
}

/**
 * {@link ScalingStore} in the plugin's database (SQLite or PostgreSQL), migrated by
 * `20261229090000_scaling.js`.
 *
 * @internal
 */
export class DatabaseScalingStore implements ScalingStore {
  static create(options: { knex: Knex }): DatabaseScalingStore {
    return new DatabaseScalingStore(options.knex);
  }

  private constructor(private readonly knex: Knex) {}

  async latestOverride(
    deploymentId: string,
  ): Promise<ScalingPolicyOverride | undefined> {
    const row = await this.knex<VersionRow>(VERSIONS)
      .where({ deployment_id: deploymentId })
      .orderBy('version', 'desc')
      .first();
    return row ? toOverride(row) : undefined;
  }

  async saveOverride(
    deploymentId: string,
    values: ScalingPolicyOverrideValues,
    by: string,
    at: number,
  ): Promise<ScalingPolicyOverride> {
    // Two saves at once: the primary key refuses the second, which retries with the next number.
    for (let attempt = 0; ; attempt++) {
      const newest = await this.latestOverride(deploymentId);
      const row: VersionRow = {
        deployment_id: deploymentId,
        version: (newest?.version ?? 0) + 1,
        policy_values: JSON.stringify(values),
        created_by: by,
        created_at: at,
      };
      try {
        await this.knex(VERSIONS).insert(row);
        return toOverride(row);
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  }

  async listOverrides(
    deploymentId: string,
    limit: number,
  ): Promise<ScalingPolicyOverride[]> {
    const rows = await this.knex<VersionRow>(VERSIONS)
      .where({ deployment_id: deploymentId })
      .orderBy('version', 'desc')
      .limit(limit);
    return rows.map(toOverride);
  }

  async getState(deploymentId: string): Promise<StoredScalingState> {
    const row = await this.knex<StateRow>(STATE)
      .where({ deployment_id: deploymentId })
      .first();
    if (!row) return {};
    const state: StoredScalingState = {};
    if (row.paused_by) {
      state.paused = {
        by: row.paused_by,
        at: Number(row.paused_at),
        ...(row.paused_reason ? { reason: row.paused_reason } : {}),
      };
    }
    if (row.hold_instances !== null && row.hold_by) {
      state.hold = {
        instances: row.hold_instances,
        reason: row.hold_reason ?? '',
        expiresAt: num(row.hold_expires_at),
        by: row.hold_by,
        at: Number(row.hold_at),
      };
    }
    if (row.engine_memory) state.memory = JSON.parse(row.engine_memory);
    return state;
  }

  private async upsert(deploymentId: string, patch: Partial<StateRow>) {
    const row = { ...patch, updated_at: Date.now() };
    await this.knex(STATE)
      .insert({ deployment_id: deploymentId, ...row })
      .onConflict('deployment_id')
      .merge(Object.keys(row));
  }

  async setPaused(
    deploymentId: string,
    paused: StoredScalingState['paused'] | undefined,
  ): Promise<void> {
    await this.upsert(deploymentId, {
      paused_by: paused?.by ?? null,
      paused_at: paused?.at ?? null,
      paused_reason: paused?.reason ?? null,
    });
  }

  async setHold(
    deploymentId: string,
    hold: StoredHold | undefined,
  ): Promise<void> {
    await this.upsert(deploymentId, {
      hold_instances: hold?.instances ?? null,
      hold_reason: hold?.reason ?? null,
      hold_expires_at: hold?.expiresAt ?? null,
      hold_by: hold?.by ?? null,
      hold_at: hold?.at ?? null,
    });
  }

  async clearHoldIf(deploymentId: string, holdAt: number): Promise<boolean> {
    const updated = await this.knex(STATE)
      .where({ deployment_id: deploymentId, hold_at: holdAt })
      .update({
        hold_instances: null,
        hold_reason: null,
        hold_expires_at: null,
        hold_by: null,
        hold_at: null,
        updated_at: Date.now(),
      });
    return updated > 0;
  }

  async setMemory(deploymentId: string, memory: ScalingMemory): Promise<void> {
    await this.upsert(deploymentId, { engine_memory: JSON.stringify(memory) });
  }

  async recordDecision(
    decision: NewScalingDecision,
  ): Promise<ScalingDecisionRecord | undefined> {
    const id = randomUUID();
    let direction: ScalingDecisionRecord['direction'] = 'none';
    if (decision.to !== decision.from) {
      direction = decision.to > decision.from ? 'up' : 'down';
    }
    const insert = this.knex(DECISIONS).insert({
      id,
      deployment_id: decision.deploymentId,
      at: decision.at,
      tick: decision.tick ?? null,
      from_count: decision.from,
      to_count: decision.to,
      direction,
      cause: decision.cause,
      explanation: decision.explanation,
      inputs: JSON.stringify(decision.inputs),
      decided_by: decision.by ?? null,
    });
    if (decision.tick !== undefined) {
      await insert.onConflict(['deployment_id', 'tick']).ignore();
    } else {
      await insert;
    }
    const row = await this.knex<DecisionRow>(DECISIONS).where({ id }).first();
    return row ? toDecision(row) : undefined;
  }

  async listDecisions(
    deploymentId: string,
    options: {
      limit: number;
      before?: number;
      changedOnly?: boolean;
      notableOnly?: boolean;
    },
  ): Promise<ScalingDecisionRecord[]> {
    const query = this.knex<DecisionRow>(DECISIONS)
      .where({ deployment_id: deploymentId })
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'seq', order: 'desc' },
      ])
      .limit(options.limit);
    if (options.before !== undefined) query.andWhere('at', '<', options.before);
    if (options.changedOnly) query.andWhereNot('direction', 'none');
    if (options.notableOnly) {
      query.andWhere(q =>
        q.whereNot('direction', 'none').orWhereNot('cause', 'autoscaler'),
      );
    }
    return (await query).map(toDecision);
  }

  async pruneDecisions(options: {
    before: number;
    keep: number;
  }): Promise<number> {
    let deleted = await this.knex(DECISIONS)
      .where('at', '<', options.before)
      .delete();
    const crowded: { deployment_id: string }[] = await this.knex(DECISIONS)
      .select('deployment_id')
      .groupBy('deployment_id')
      .havingRaw('count(*) > ?', [options.keep]);
    for (const { deployment_id } of crowded) {
      const boundary = await this.knex<DecisionRow>(DECISIONS)
        .where({ deployment_id })
        .orderBy('seq', 'desc')
        .offset(options.keep - 1)
        .first('seq');
      if (boundary) {
        deleted += await this.knex(DECISIONS)
          .where({ deployment_id })
          .andWhere('seq', '<', boundary.seq)
          .delete();
      }
    }
    return deleted;
  }
}
