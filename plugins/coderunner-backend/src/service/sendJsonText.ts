import { Request, Response } from 'express';

/**
 * Answers with `text`, the compact JSON of the answer kept or joined in memory, unless the
 * portal sets express JSON options (indentation in development, a replacer, escaping): then
 * with `body` through `res.json`, which honours them. `text` is called only when it is used,
 * and may return undefined to fall back to `body`.
 *
 * @internal
 */
export function sendJsonText(
  req: Pick<Request, 'app'>,
  res: Pick<Response, 'json'>,
  body: () => unknown,
  text: () => string | undefined,
): void {
  const compact =
    req.app.get('json spaces') === undefined &&
    req.app.get('json replacer') === undefined &&
    !req.app.get('json escape');
  const written = compact ? text() : undefined;
  if (written === undefined) {
    res.json(body());
  } else {
    // The typed router knows only res.json's object; this is that object's text.
    (res as Response).type('application/json').send(written);
  }
}
