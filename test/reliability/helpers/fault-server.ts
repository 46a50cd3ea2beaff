/**
 * An engine `/metrics` that misbehaves on demand: one path per misbehaviour (an HTTP error, a hang, a body
 * that is not UTF-8, too large declared or streamed, a gzip bomb, a connection that breaks, a trickle past
 * the timeout, garbage). Once repaired, every path serves a valid exposition of one gauge named after it,
 * so a test can see each source come back.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

/** Each misbehaviour, by path. */
const BEHAVIOURS = {
  '/http-500': (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(500).end('engine exploded');
  },
  '/hang': () => {
    // Never answers; the reader's timeout ends it.
  },
  '/invalid-utf8': (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(Buffer.from([0x61, 0x20, 0x31, 0x0a, 0xff, 0xfe, 0xc3, 0x28, 0x0a]));
  },
  '/declared-too-large': (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Length': String(64 * 1024 * 1024) });
    res.write('a 1\n');
  },
  '/streamed-too-large': (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    const line = `${'x'.repeat(1000)} 1\n`.repeat(64);
    let sent = 0;
    const more = () => {
      while (sent < 4 * 1024 * 1024) {
        sent += line.length;
        if (!res.write(line)) return void res.once('drain', more);
      }
      res.end();
    };
    more();
  },
  '/gzip-bomb': (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
    res.end(gzipBomb());
  },
  '/broken-body': (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Length': '1000' });
    res.write('# TYPE a gauge\na 1\n');
    setTimeout(() => res.destroy(), 20);
  },
  '/trickle': (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    const timer = setInterval(() => res.write('#'), 50);
    res.on('close', () => clearInterval(timer));
  },
  '/garbage': (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('<html><body>502 Bad Gateway</body></html>\n');
  },
} as const;

export type FaultPath = keyof typeof BEHAVIOURS;

let bomb: Buffer | undefined;
/** 64 MiB of spaces, gzipped to about 64 KiB. */
function gzipBomb(): Buffer {
  bomb ??= gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
  return bomb;
}

/** The gauge a repaired path serves: `/http-500` serves `http_500_up 1`. */
export function repairedFamily(path: FaultPath): string {
  return `${path.slice(1).replaceAll('-', '_')}_up`;
}

export class FaultServer {
  broken = true;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FaultServer> {
    let self: FaultServer | undefined;
    const server = createServer((req, res) => {
      const path = (req.url ?? '/') as FaultPath;
      const behaviour = BEHAVIOURS[path];
      if (behaviour === undefined) return void res.writeHead(404).end();
      if (self?.broken === false) {
        const name = repairedFamily(path);
        return void res.end(`# HELP ${name} Repaired.\n# TYPE ${name} gauge\n${name} 1\n`);
      }
      behaviour(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    self = new FaultServer(server, `http://127.0.0.1:${port}`);
    return self;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
