import {
  ScalingDecisionRecord,
  ScalingStatus,
} from '@coderunner/plugin-coderunner-common';
import { act } from '@testing-library/react';
import { ScalingApi, ScalingWatchHandlers } from '../api';

/** A decision of the autoscaler in development: 2 → 4 on p95 latency. */
export function aScalingDecision(
  overrides: Partial<ScalingDecisionRecord> = {},
): ScalingDecisionRecord {
  return {
    id: 'decision-1',
    at: new Date().toISOString(),
    from: 2,
    to: 4,
    direction: 'up',
    cause: 'autoscaler',
    explanation:
      '2 → 4: p95 latency 480 ms over the 200 ms target; CPU 55% within target',
    inputs: {
      metrics: { p95LatencyMs: 480, cpuPercent: 55 },
      targets: { p95LatencyMs: 200, cpuPercent: 60 },
    },
    ...overrides,
  };
}

/** hello-node's scaling in development: web-app, 1–3 instances, 2 ready. */
export function aScalingStatus(
  overrides: Partial<ScalingStatus> = {},
): ScalingStatus {
  return {
    environment: 'development',
    autoscaling: true,
    currentInstances: 2,
    readyInstances: 2,
    desiredInstances: 2,
    policy: {
      template: 'web-app',
      minInstances: 1,
      maxInstances: 3,
      targets: { cpuPercent: 60, p95LatencyMs: 200 },
      windows: {
        scaleUpStabilizationSeconds: 0,
        scaleDownStabilizationSeconds: 300,
        scaleUpCooldownSeconds: 0,
        scaleDownCooldownSeconds: 60,
        metricsMaxAgeSeconds: 60,
      },
      sources: {
        manifest: { template: 'web-app', minInstances: 1, maxInstances: 3 },
      },
    },
    ...overrides,
  };
}

/** A stand-in for the scaling backend at the API boundary; `serve` plays the stream. */
export function fakeScalingApi(
  status: ScalingStatus | Error = aScalingStatus(),
) {
  let handlers: ScalingWatchHandlers | undefined;
  /** A jest mock of one method, typed as the method is. */
  type Method<K extends keyof ScalingApi> = (
    ...args: Parameters<ScalingApi[K]>
  ) => ReturnType<ScalingApi[K]>;
  const mockOf = <K extends keyof ScalingApi>(implementation: Method<K>) =>
    jest.fn<ReturnType<ScalingApi[K]>, Parameters<ScalingApi[K]>>(
      implementation,
    );
  const answering = (s: ScalingStatus) => async () => s;
  const api: jest.Mocked<ScalingApi> = {
    getStatus: mockOf<'getStatus'>(async () => {
      if (status instanceof Error) throw status;
      return status;
    }),
    savePolicy: mockOf<'savePolicy'>(answering(aScalingStatus())),
    resetPolicy: mockOf<'resetPolicy'>(answering(aScalingStatus())),
    listPolicyVersions: mockOf<'listPolicyVersions'>(async () => []),
    hold: mockOf<'hold'>(answering(aScalingStatus())),
    releaseHold: mockOf<'releaseHold'>(answering(aScalingStatus())),
    pause: mockOf<'pause'>(answering(aScalingStatus())),
    resume: mockOf<'resume'>(answering(aScalingStatus())),
    listDecisions: mockOf<'listDecisions'>(async () => [aScalingDecision()]),
    watch: mockOf<'watch'>((_ref, _env, h) => {
      handlers = h;
      h.onConnection('connecting');
      return () => {
        handlers = undefined;
      };
    }),
  };
  return {
    api,
    serve(next: ScalingStatus, decision?: ScalingDecisionRecord) {
      act(() => {
        handlers!.onConnection('live');
        handlers!.onStatus(next, decision);
      });
    },
  };
}
