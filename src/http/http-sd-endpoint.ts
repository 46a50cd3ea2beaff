/**
 * `/http_sd_config`: the Prometheus HTTP service-discovery answer of a process that knows the fleet through
 * discovery. Served by every system status server and by the frontend, so a Prometheus pointed at any one
 * of them finds all workers and frontends. A discovery failure is answered with a 500 and a JSON error
 * (Prometheus then keeps the targets of its last good refresh) and logged at most once a minute: Prometheus
 * asks again on every refresh.
 */
import { type HttpSdTargetGroup, httpSdTargetGroups } from '../serving/discovery/http-sd.js';
import type { WorkerInstance } from '../serving/discovery/types.js';
import { type Logger, RateLimitedLog } from '../util/logger.js';
import { type RouteHandler, sendJson } from './router.js';

/** Where the route is mounted (upstream's path). */
export const HTTP_SD_PATH = '/http_sd_config';

/** The route handler; `list` is asked on every request, so the answer is never stale. */
export function httpSdRoute(list: () => Promise<readonly WorkerInstance[]>, logger?: Logger): RouteHandler {
  const warn = logger === undefined ? undefined : new RateLimitedLog(logger);
  return async (req, res) => {
    const head = req.method === 'HEAD';
    let groups: HttpSdTargetGroup[];
    try {
      groups = httpSdTargetGroups(await list());
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      warn?.log('warn', 'http_sd', 'Failed to list instances for HTTP service discovery', { error: detail });
      sendJson(res, 500, { error: 'Failed to list instances from discovery', detail }, head);
      return;
    }
    sendJson(res, 200, groups, head);
  };
}
