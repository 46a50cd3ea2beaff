import { setTimeout as sleep } from 'node:timers/promises';
import { QueryEngine } from '../../query/engine/engine.js';
import { Scraper } from '../../query/scrape/scraper.js';
import { MemoryStore } from '../../query/storage/store.js';
import { untilStopped } from '../../util/until-stopped.js';
import { type Command, ExitCode, parseOptions } from '../command.js';
import { durationOption } from '../duration-option.js';
import { parseTargets, TARGET_HELP, TARGET_OPTIONS } from '../target-option.js';
import { renderTop, topFrame } from '../top-view.js';

/** Clears a terminal and moves to its top-left corner. */
const CLEAR_SCREEN = '\x1b[H\x1b[2J';

export const top: Command = {
  name: 'top',
  summary: 'a live terminal view of frontend and worker figures',
  help: `usage: dynametrics top --target URL ... [options]

Scrapes the targets every --interval and shows, computed with the embedded PromQL engine: the
frontend's requests and errors per second, requests in flight and queued, TTFT and ITL p50 and p99;
per worker (instance) its requests and errors per second, requests in flight, p99 request duration
and KV cache usage; and which targets are up. On a terminal the screen is redrawn in place; otherwise
each refresh is printed after the last, so the output can be logged or piped.

options:
${TARGET_HELP}
  --interval D        scrape and refresh interval (default 2s)
  --window D          window of the rates and quantiles (default 30s)
  --duration D        stop after this long (default: until SIGINT/SIGTERM)
  -h, --help          show this help

exit codes: 0 stopped (Ctrl-C or --duration), 2 bad options
`,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      ...TARGET_OPTIONS,
      interval: { type: 'string' },
      window: { type: 'string' },
      duration: { type: 'string' },
    });
    const targets = parseTargets(values.target);
    const intervalMs = durationOption('interval', values.interval, 2_000, { minMs: 100 });
    const windowMs = durationOption('window', values.window, 30_000, { minMs: 1 });
    const durationMs =
      values.duration === undefined ? undefined : durationOption('duration', values.duration, 0);
    const store = new MemoryStore();
    const scraper = new Scraper(store, { intervalMs, timeoutMs: Math.min(intervalMs, 10_000) });
    for (const t of targets) scraper.add(t);
    const engine = new QueryEngine(store);
    const tty = (io.stdout as { isTTY?: boolean }).isTTY === true;
    const stop = new AbortController();
    const stopped = untilStopped({ seconds: durationMs === undefined ? undefined : durationMs / 1000 }).then(
      () => stop.abort(),
    );
    const started = Date.now();
    for (let round = 0; !stop.signal.aborted; round++) {
      await scraper.scrapeNow();
      const status = scraper.targets();
      const timeMs = Math.max(...status.map((t) => t.lastScrapeMs ?? 0));
      const frame = await topFrame(engine, timeMs, windowMs, status);
      const text = renderTop(frame, intervalMs, windowMs);
      io.stdout.write(tty ? `${CLEAR_SCREEN}${text}` : `${text}\n`);
      const wait = started + (round + 1) * intervalMs - Date.now();
      await Promise.race([
        sleep(Math.max(0, wait), undefined, { signal: stop.signal }).catch(() => {}),
        stopped,
      ]);
    }
    return ExitCode.OK;
  },
};
