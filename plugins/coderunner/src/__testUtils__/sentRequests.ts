/**
 * The requests a fake `fetchApi.fetch` (or `fetch`) was called with, as `Request`s, whether
 * each call passed a URL and init or a `Request`.
 */
export function sentRequests(fetch: jest.Mock): Request[] {
  return fetch.mock.calls.map(
    ([input, init]: [RequestInfo | URL, RequestInit | undefined]) =>
      new Request(input, init),
  );
}
