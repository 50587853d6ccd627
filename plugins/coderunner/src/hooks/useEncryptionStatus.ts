import { useApi } from '@backstage/core-plugin-api';
import { ConfigEncryptionStatus } from '@coderunner/plugin-coderunner-common';
import { useEffect, useState } from 'react';
import { configApiRef } from '../api';

/** How often the status is read again while values are being moved to a new key. */
const ROTATION_POLL_MS = 3000;

/**
 * Which key encrypts stored config values; read again every few seconds while a key rotation
 * moves values to the new key, until every value is on it.
 */
export function useEncryptionStatus(): {
  status?: ConfigEncryptionStatus;
  /** Why the status could not be read. */
  problem?: string;
} {
  const client = useApi(configApiRef);
  const [status, setStatus] = useState<ConfigEncryptionStatus>();
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const next = await client.encryptionStatus();
        if (stopped) return;
        setStatus(next);
        setProblem(undefined);
        if (
          next.rotation.running ||
          next.valuesOnActiveKey < next.totalValues
        ) {
          timer = setTimeout(load, ROTATION_POLL_MS);
        }
      } catch (e) {
        if (!stopped) setProblem((e as Error).message);
      }
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client]);

  return { status, problem };
}
