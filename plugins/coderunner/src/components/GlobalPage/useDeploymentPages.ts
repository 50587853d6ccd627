import { useApi } from '@backstage/core-plugin-api';
import {
  DeploymentPage,
  DeploymentStatus,
} from '@coderunner/plugin-coderunner-common';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { coderunnerApiRef } from '../../api';
import { useDeploymentListChanges } from '../../hooks/useDeploymentChanges';

/** Deployments per page of the global page. */
export const PAGE_SIZE = 25;

/** The global page's filters; an empty one lets everything through. */
export type DeploymentFilter = {
  text: string;
  environment: string;
  status: DeploymentStatus | '';
};

/**
 * The global list a page at a time: the current page (re-read when the backend signals a
 * change to any deployment, so that new ones and ones that now pass the filters appear),
 * and moves to the next and the previous page. A change of filter starts again from the
 * first page.
 */
export function useDeploymentPages(filter: DeploymentFilter) {
  const api = useApi(coderunnerApiRef);
  const filterKey = JSON.stringify(filter);
  // The cursor of each page up to the current one (the first page has none).
  const [cursors, setCursors] = useState<{
    filterKey: string;
    list: (string | undefined)[];
  }>({ filterKey, list: [undefined] });
  const list = cursors.filterKey === filterKey ? cursors.list : [undefined];
  const cursor = list[list.length - 1];
  // The page shown, and which one it is (filter and cursor): a re-read of the same page
  // replaces it without showing the table as loading.
  const pageKey = `${filterKey}\n${cursor ?? ''}`;
  const [shown, setShown] = useState<{ key: string; page: DeploymentPage }>();
  const changes = useDeploymentListChanges();
  // Changes are taken up only between reads: one read at a time, never one thrown away for
  // a newer one while the backend is slow.
  const [applied, setApplied] = useState(changes);
  const { value, loading, error } = useAsync(
    () =>
      api.listDeploymentPage({
        limit: PAGE_SIZE,
        cursor,
        environments: filter.environment ? [filter.environment] : undefined,
        statuses: filter.status ? [filter.status] : undefined,
        text: filter.text || undefined,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, cursor, filterKey, applied],
  );
  useEffect(() => {
    if (!loading) setApplied(changes);
  }, [changes, loading]);
  useEffect(() => {
    if (value) setShown({ key: pageKey, page: value });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);

  const nextCursor = shown?.page.nextCursor;
  return {
    page: shown?.page,
    loading: loading && shown?.key !== pageKey,
    error,
    pageNumber: list.length,
    next:
      nextCursor && !loading
        ? () => setCursors({ filterKey, list: [...list, nextCursor] })
        : undefined,
    previous:
      list.length > 1 && !loading
        ? () => setCursors({ filterKey, list: list.slice(0, -1) })
        : undefined,
  };
}
