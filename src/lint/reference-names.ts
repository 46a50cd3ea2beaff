/**
 * Every full metric name the Dynamo reference defines (spec §6), from the constants of `names/`. Some break
 * the reference's own naming rules (`dynamo_frontend_model_kv_cache_block_size` ends in `_size`,
 * `dynamo_component_router_kv_hit_rate` in `_rate`); dashboards query them by those names, so a port must
 * keep them, and `check` does not report Dynamo naming rules for them.
 */
import {
  EmbeddingCacheMetric,
  KvPublisherMetric,
  KvRouterMetric,
  KvStatsMetric,
  ModelInfoMetric,
  RouterMetric,
  RuntimeMetric,
  TaskTrackerMetric,
  WorkHandlerMetric,
} from '../names/component.js';
import {
  FrontendExtraMetric,
  FrontendMetric,
  FrontendPerfMetric,
  FrontendWorkerMetric,
} from '../names/frontend.js';
import { NamePrefix } from '../names/prefixes.js';
import { SelfMetric } from '../names/self.js';
import {
  KvIndexerMetric,
  RequestPlaneMetric,
  RoutingOverheadMetric,
  TokioMetric,
  TransportMetric,
} from '../names/subsystems.js';

const BY_PREFIX: readonly (readonly [string, readonly Readonly<Record<string, string>>[]])[] = [
  [NamePrefix.FRONTEND, [FrontendMetric, FrontendWorkerMetric, FrontendPerfMetric, FrontendExtraMetric]],
  [
    NamePrefix.COMPONENT,
    [
      WorkHandlerMetric,
      RuntimeMetric,
      KvStatsMetric,
      ModelInfoMetric,
      EmbeddingCacheMetric,
      RouterMetric,
      KvRouterMetric,
      KvPublisherMetric,
      TaskTrackerMetric,
      SelfMetric,
    ],
  ],
  [NamePrefix.ROUTER, [RoutingOverheadMetric]],
  [NamePrefix.KVINDEXER, [KvIndexerMetric]],
  [NamePrefix.REQUEST_PLANE, [RequestPlaneMetric]],
  [NamePrefix.TRANSPORT, [TransportMetric]],
  [NamePrefix.TOKIO, [TokioMetric]],
];

export const REFERENCE_NAMES: ReadonlySet<string> = new Set(
  BY_PREFIX.flatMap(([prefix, tables]) =>
    tables.flatMap((t) => Object.values(t).map((s) => `${prefix}_${s}`)),
  ),
);
