/**
 * Discovery through a local directory: each announced instance is a JSON file, written atomically and
 * renewed while the worker lives. A record whose lease expired, or whose process is gone (same host, pid
 * no longer alive — a worker killed with SIGKILL), is ignored, so callers never route to a dead worker
 * for long. Malformed files are ignored too: the directory is shared and untrusted.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Discovery,
  type InstanceQuery,
  isWorkerInstance,
  matches,
  type WorkerInstance,
} from './types.js';

interface Record {
  readonly instance: WorkerInstance;
  readonly host: string;
  readonly pid: number;
  readonly expiresAtMs: number;
}

export interface FileDiscoveryOptions {
  /** How long a record stays valid without renewal (default 10 s); it is renewed every third of that. */
  readonly leaseMs?: number;
}

/** The directory `DYN_DISCOVERY_DIR` names, or one under the system temp directory. */
export function defaultDiscoveryDir(
  env: Readonly<{ [k: string]: string | undefined }> = process.env,
): string {
  const dir = env.DYN_DISCOVERY_DIR;
  return dir !== undefined && dir !== '' ? dir : join(tmpdir(), 'dynametrics-discovery');
}

function alive(record: Record): boolean {
  if (record.host !== hostname()) return true;
  try {
    process.kill(record.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class FileDiscovery implements Discovery {
  readonly #leaseMs: number;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly dir: string = defaultDiscoveryDir(),
    options: FileDiscoveryOptions = {},
  ) {
    this.#leaseMs = options.leaseMs ?? 10_000;
  }

  #file(instance: WorkerInstance): string {
    const key = [instance.namespace, instance.component, instance.endpoint, instance.instanceId]
      .map(encodeURIComponent)
      .join('~');
    return join(this.dir, `${key}.json`);
  }

  async #write(instance: WorkerInstance): Promise<void> {
    const record: Record = {
      instance,
      host: hostname(),
      pid: process.pid,
      expiresAtMs: Date.now() + this.#leaseMs,
    };
    const file = this.#file(instance);
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(record));
    await rename(temp, file);
  }

  async register(instance: WorkerInstance): Promise<() => Promise<void>> {
    await mkdir(this.dir, { recursive: true });
    await this.#write(instance);
    const timer = setInterval(
      () => {
        this.#write(instance).catch(() => {});
      },
      Math.max(100, Math.floor(this.#leaseMs / 3)),
    );
    timer.unref();
    this.#timers.add(timer);
    return async () => {
      clearInterval(timer);
      this.#timers.delete(timer);
      await rm(this.#file(instance), { force: true });
    };
  }

  async list(query?: InstanceQuery): Promise<WorkerInstance[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const now = Date.now();
    const records = await Promise.all(
      names
        .filter((n) => n.endsWith('.json'))
        .map(async (n) => {
          try {
            return JSON.parse(await readFile(join(this.dir, n), 'utf8')) as Record;
          } catch {
            return undefined;
          }
        }),
    );
    return records
      .filter(
        (r): r is Record =>
          r !== undefined &&
          r !== null &&
          typeof r.expiresAtMs === 'number' &&
          r.expiresAtMs > now &&
          typeof r.pid === 'number' &&
          typeof r.host === 'string' &&
          isWorkerInstance(r.instance) &&
          alive(r),
      )
      .map((r) => r.instance)
      .filter((i) => matches(i, query))
      .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    this.#timers.clear();
  }
}
