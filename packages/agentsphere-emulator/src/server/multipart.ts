/** One part of a `multipart/form-data` body. */
export interface FormPart {
  name?: string;
  filename?: string;
  data: Buffer;
}

/**
 * Parses `multipart/form-data`, keeping each part's filename as sent: envd
 * reads full paths from it, which generic parsers strip.
 */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!match) {
    throw new Error('multipart body without a boundary');
  }
  const delimiter = Buffer.from(`--${match[1] ?? match[2]}`);
  const parts: FormPart[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') {
      break;
    }
    const headerStart = afterDelimiter + 2;
    const headerEnd = body.indexOf('\r\n\r\n', headerStart);
    const next = body.indexOf(delimiter, headerEnd);
    if (headerEnd < 0 || next < 0) {
      break;
    }
    const headers = body.subarray(headerStart, headerEnd).toString('utf8');
    const disposition =
      /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    parts.push({
      name: /\bname="([^"]*)"/i.exec(disposition)?.[1],
      filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1],
      // The part's data ends before the CRLF that precedes the next delimiter.
      data: body.subarray(headerEnd + 4, next - 2),
    });
    start = next;
  }
  return parts;
}
