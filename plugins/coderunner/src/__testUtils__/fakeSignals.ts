/**
 * A signals API (the signals plugin's frontend API, a boundary of ours) whose subscribers a
 * test can wake: `publish(channel)` calls every subscriber of that channel.
 */
export function fakeSignals() {
  const listeners = new Map<string, Set<() => void>>();
  return {
    api: {
      subscribe: (channel: string, onMessage: () => void) => {
        const set = listeners.get(channel) ?? new Set();
        set.add(onMessage);
        listeners.set(channel, set);
        return { unsubscribe: () => set.delete(onMessage) };
      },
    },
    publish: (channel: string) =>
      listeners.get(channel)?.forEach(listener => listener()),
    /** The channels someone listens to now. */
    channels: () =>
      [...listeners].filter(([, set]) => set.size > 0).map(([c]) => c),
  };
}
