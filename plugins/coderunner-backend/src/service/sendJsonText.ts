import { Request, Response } from 'express';

/**
 * Answers with `text`, the compact JSON of the answer kept or joined in memory, unless the
 * portal sets express JSON options (indentation in development, a replacer, escaping): then
 * with `body` through `res.json`, which honours them. `text` is called only when it is used,
 * and may return undefined to fall back to `body`, or the text with an ETag made cheaper
 * than express's hash of the text.
 *
 * @internal
 */
export function sendJsonText(
  req: Pick<Request, 'app'>,
  res: Pick<Response, 'json'>,
  body: () => unknown,
  text: () => string | { text: string | Buffer; etag: string } | undefined,
): void {
  const compact =
    req.app.get('json spaces') === undefined &&
    req.app.get('json replacer') === undefined &&
    !req.app.get('json escape');
  const written = compact ? text() : undefined;
  if (written === undefined) {
    res.json(body());
    return;
  }
  // The typed router knows only res.json's object; this is that object's text.
  const sent = (res as Response).type('application/json');
  if (typeof written === 'string') {
    sent.send(written);
  } else {
    // With an ETag set, express neither hashes the text nor makes its own; a request whose
    // If-None-Match has it is still answered 304.
    sent.set('ETag', written.etag).send(written.text);
  }
}
