/**
 * Reading an exposition to lint from a URL or a file, with a clear error when there is none: an unreachable
 * target, an HTTP error, or something that is not metrics at all (an HTML page, typically a wrong path).
 */
import { readFile } from 'node:fs/promises';
import { DynametricsError } from '../core/errors.js';
import { type ExpositionSyntax, syntaxForContentType } from '../expfmt/parser.js';
import { fetchExposition } from '../query/scrape/http-fetch.js';

/** The exposition could not be read, or is not an exposition. */
export class ExpositionSourceError extends DynametricsError {
  override name = 'ExpositionSourceError';
}

export interface Exposition {
  readonly text: string;
  readonly syntax: ExpositionSyntax;
}

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** HTML served where metrics were expected: a content type saying so, or markup at the start. */
function looksLikeHtml(text: string, contentType: string): boolean {
  return /^\s*text\/html\b/i.test(contentType) || /^\s*<(!doctype|html|head|body|\?xml)\b/i.test(text);
}

/** A file is OpenMetrics when it ends with `# EOF`, as OpenMetrics must; otherwise the text format 0.0.4. */
function syntaxOfFile(text: string): ExpositionSyntax {
  return /(^|\n)# EOF\n?$/.test(text) ? 'openmetrics' : 'text';
}

/** Fetches (with Prometheus's headers) or reads an exposition. */
export async function readExposition(source: string, timeoutMs = 10_000): Promise<Exposition> {
  if (isUrl(source)) {
    let fetched: { body: string; contentType: string };
    try {
      fetched = await fetchExposition(source, { timeoutMs, bodySizeLimitBytes: 64 * 1024 * 1024 });
    } catch (e) {
      const reason = (e as Error).message.replace(`Get ${JSON.stringify(source)}: `, '');
      throw new ExpositionSourceError(`cannot scrape ${source}: ${reason}`);
    }
    if (looksLikeHtml(fetched.body, fetched.contentType)) {
      throw new ExpositionSourceError(
        `${source} returned an HTML page (${fetched.contentType || 'no content type'}), not a metrics exposition; is the path right (usually /metrics)?`,
      );
    }
    return { text: fetched.body, syntax: syntaxForContentType(fetched.contentType) };
  }
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (e) {
    throw new ExpositionSourceError(
      `cannot read ${source}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  if (looksLikeHtml(text, '')) {
    throw new ExpositionSourceError(`${source} is an HTML page, not a metrics exposition`);
  }
  return { text, syntax: syntaxOfFile(text) };
}
