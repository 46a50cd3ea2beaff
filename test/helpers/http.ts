/** Raw HTTP requests for tests that need to see exactly what went over the wire (headers, gzip bytes). */
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The body as received (still gzipped if it was). */
  readonly raw: Buffer;
  /** The body decoded (gunzipped when `Content-Encoding: gzip`). */
  readonly text: string;
}

export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const text =
            res.headers['content-encoding'] === 'gzip'
              ? gunzipSync(raw).toString('utf8')
              : raw.toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Sends raw bytes on a new connection and collects whatever comes back until the server closes it. */
export function rawExchange(
  port: number,
  data: string,
  waitMs = 2000,
): Promise<{ response: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let response = '';
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ response, closed });
    }, waitMs);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      response += d;
    });
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve({ response, closed });
    });
    socket.on('error', () => {});
    socket.write(data);
  });
}
