import { TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  deploymentListSignalChannel,
  deploymentSignalChannel,
} from '@coderunner/plugin-coderunner-common';
import { act, renderHook } from '@testing-library/react';
import { ReactNode } from 'react';
import { fakeSignals } from '../__testUtils__';
import {
  SIGNAL_COALESCE_MS,
  useDeploymentChanges,
  useDeploymentListChanges,
} from './useDeploymentChanges';

const SHOP = 'component:default/shop';

function withSignals(signals: ReturnType<typeof fakeSignals>) {
  return ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[signalApiRef, signals.api as any]]}>
      {children}
    </TestApiProvider>
  );
}

describe('useDeploymentChanges', () => {
  afterEach(() => jest.useRealTimers());

  it("counts the entities' signals, a burst of them once more at the end of the second", () => {
    jest.useFakeTimers();
    const signals = fakeSignals();
    const { result, unmount } = renderHook(
      () => useDeploymentChanges([SHOP, SHOP]),
      { wrapper: withSignals(signals) },
    );
    expect(signals.channels()).toEqual([deploymentSignalChannel(SHOP)]);
    expect(result.current).toBe(0);
    act(() => signals.publish(deploymentSignalChannel(SHOP)));
    expect(result.current).toBe(1);
    // A rollout's changes in a row: one re-read for all of them, when the second is up.
    act(() => {
      signals.publish(deploymentSignalChannel(SHOP));
      signals.publish(deploymentSignalChannel(SHOP));
      signals.publish(deploymentSignalChannel(SHOP));
    });
    expect(result.current).toBe(1);
    act(() => jest.advanceTimersByTime(SIGNAL_COALESCE_MS));
    expect(result.current).toBe(2);
    // Another entity's news is not ours.
    act(() => jest.advanceTimersByTime(SIGNAL_COALESCE_MS));
    act(() => signals.publish(deploymentSignalChannel('component:default/x')));
    expect(result.current).toBe(2);
    unmount();
    expect(signals.channels()).toEqual([]);
  });

  it('follows any deployment on the list channel', () => {
    const signals = fakeSignals();
    const { result } = renderHook(() => useDeploymentListChanges(), {
      wrapper: withSignals(signals),
    });
    expect(signals.channels()).toEqual([deploymentListSignalChannel]);
    act(() => signals.publish(deploymentListSignalChannel));
    expect(result.current).toBe(1);
  });
});
