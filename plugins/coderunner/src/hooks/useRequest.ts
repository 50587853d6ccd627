import { useCallback, useRef, useState } from 'react';

/** A request a dialog sends on demand: its latest answer or failure. */
export interface RequestState<TArgs extends unknown[], TValue> {
  value?: TValue;
  error?: Error;
  loading: boolean;
  /** Sends the request; an answer to an earlier call that arrives later is dropped. */
  run: (...args: TArgs) => Promise<void>;
  /** Forgets the answer, e.g. when the input it answered has changed. */
  reset: () => void;
}

/**
 * Keeps the state of one on-demand request (a preview, an export, a diff), so a dialog only
 * renders it. Only the latest call's outcome is kept.
 */
export function useRequest<TArgs extends unknown[], TValue>(
  request: (...args: TArgs) => Promise<TValue>,
): RequestState<TArgs, TValue> {
  const [state, setState] = useState<{
    value?: TValue;
    error?: Error;
    loading: boolean;
  }>({ loading: false });
  const latest = useRef(0);
  const send = useRef(request);
  send.current = request;

  const run = useCallback(async (...args: TArgs) => {
    const call = ++latest.current;
    setState({ loading: true });
    try {
      const value = await send.current(...args);
      if (call === latest.current) setState({ value, loading: false });
    } catch (e) {
      if (call === latest.current) {
        setState({
          error: e instanceof Error ? e : new Error(String(e)),
          loading: false,
        });
      }
    }
  }, []);
  const reset = useCallback(() => {
    latest.current++;
    setState({ loading: false });
  }, []);

  return { ...state, run, reset };
}
