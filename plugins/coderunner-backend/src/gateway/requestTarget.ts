/**
 * The path and query to ask an instance for, or what is wrong with the request target.
 *
 * Only a path that starts with exactly one `/` (RFC 9112 origin-form) is accepted, so the
 * upstream request, which is the instance's origin followed by this text as it is, can only ever
 * name that instance. Everything a URL parser might read as another host is refused: an absolute
 * URL, `//host`, a backslash in the path (WHATWG parsers read `\` as `/`), and any control
 * character, space or non-ASCII byte. Percent-encoded forms (`/%2F%2Fhost`) stay a path on the app.
 *
 * @internal
 */
export function checkRequestTarget(
  target: string | undefined,
):
  | { path: string; problem?: undefined }
  | { path?: undefined; problem: string } {
  if (!target) {
    return { problem: 'The request target is empty.' };
  }
  if (/[^\x21-\x7e]/.test(target)) {
    return {
      problem:
        'The request target contains a control character, a space or a non-ASCII byte; percent-encode it.',
    };
  }
  const pathPart = target.split('?', 1)[0];
  if (
    !pathPart.startsWith('/') ||
    pathPart.startsWith('//') ||
    pathPart.includes('\\')
  ) {
    return {
      problem: `The request target must be a path that starts with a single / and has no backslash, such as /index.html; got ${target.slice(
        0,
        200,
      )}.`,
    };
  }
  return { path: target };
}
