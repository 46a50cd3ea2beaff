/**
 * Fetching a remote `/metrics` the way Prometheus 2.42 does: its `Accept` header (OpenMetrics preferred,
 * text 0.0.4 accepted), `Accept-Encoding: gzip`, the scrape timeout announced in
 * `X-Prometheus-Scrape-Timeout-Seconds`, a hard timeout, a body size limit, and errors worded like
 * Prometheus's (`server returned HTTP status 500 Internal Server Error`).
 */
import { request as httpRequest, type IncomingMessage, STATUS_CODES } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createGunzip } from 'node:zlib';

/** The Accept header Prometheus 2.42 sends. */
export const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

export interface FetchedExposition {
  readonly body: string;
  readonly contentType: string;
}

export interface FetchOptions {
  readonly timeoutMs: number;
  /** Largest accepted (uncompressed) body; 0 for no limit. */
  readonly bodySizeLimitBytes: number;
  readonly signal?: AbortSignal;
  readonly userAgent?: string;
}

export class ScrapeError extends Error {
  override name = 'ScrapeError';
}

function readBody(res: IncomingMessage, limit: number): Promise<string> {
  const gzip = /\bgzip\b/i.test(String(res.headers['content-encoding'] ?? ''));
  const stream = gzip ? res.pipe(createGunzip()) : res;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (limit > 0 && size > limit) {
        res.destroy();
        reject(new ScrapeError(`body size limit exceeded (${limit} bytes)`));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', (e: Error) => reject(new ScrapeError(`reading body: ${e.message}`)));
  });
}

/** GETs an exposition; rejects with {@link ScrapeError} on any failure. */
export function fetchExposition(url: string, options: FetchOptions): Promise<FetchedExposition> {
  const parsed = new URL(url);
  const request = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
  const deadlineAt = Date.now() + options.timeoutMs;
  return new Promise((resolve, reject) => {
    const fail = (message: string) => reject(new ScrapeError(`Get ${JSON.stringify(url)}: ${message}`));
    const req = request(
      parsed,
      {
        method: 'GET',
        headers: {
          Accept: PROMETHEUS_ACCEPT,
          'Accept-Encoding': 'gzip',
          'User-Agent': options.userAgent ?? 'dynametrics-scraper',
          'X-Prometheus-Scrape-Timeout-Seconds': String(options.timeoutMs / 1000),
        },
        signal: options.signal,
      },
      (res) => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          res.resume();
          reject(
            new ScrapeError(`server returned HTTP status ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd()),
          );
          return;
        }
        const deadline = setTimeout(
          () => res.destroy(new Error('context deadline exceeded')),
          Math.max(0, deadlineAt - Date.now()),
        );
        readBody(res, options.bodySizeLimitBytes)
          .then((body) => resolve({ body, contentType: String(res.headers['content-type'] ?? '') }))
          .catch(reject)
          .finally(() => clearTimeout(deadline));
      },
    );
    const timer = setTimeout(() => req.destroy(new Error('context deadline exceeded')), options.timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      fail(e.message);
    });
    req.end();
  });
}
