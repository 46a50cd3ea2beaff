/**
 * Process health as the system status server reports it (reference spec §7.1): a process-wide status that
 * starts at `DYN_SYSTEM_STARTING_HEALTH_STATUS`, per-endpoint statuses, and the aggregation rule — the
 * endpoints named in `DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS` when set, otherwise the endpoints registered
 * as health-check targets when there are any, otherwise the process-wide status.
 */

export type HealthStatus = 'ready' | 'notready';

export interface HealthReport {
  readonly status: HealthStatus;
  readonly uptime: { readonly secs: number; readonly nanos: number };
  readonly endpoints: Readonly<Record<string, HealthStatus>>;
}

export class SystemHealth {
  #system: HealthStatus;
  readonly #endpoints = new Map<string, HealthStatus>();
  readonly #targets = new Set<string>();
  readonly #startedAt = process.hrtime.bigint();

  constructor(
    startingStatus: HealthStatus = 'notready',
    private readonly useEndpointHealthStatus: readonly string[] = [],
  ) {
    this.#system = startingStatus;
  }

  get systemStatus(): HealthStatus {
    return this.#system;
  }

  setSystemStatus(status: HealthStatus): void {
    this.#system = status;
  }

  /** Sets an endpoint's status; a health-check target also takes part in the aggregation. */
  setEndpointStatus(
    endpoint: string,
    status: HealthStatus,
    options: { healthCheckTarget?: boolean } = {},
  ): void {
    this.#endpoints.set(endpoint, status);
    if (options.healthCheckTarget === true) this.#targets.add(endpoint);
  }

  endpointStatus(endpoint: string): HealthStatus | undefined {
    return this.#endpoints.get(endpoint);
  }

  /** Seconds since the runtime started. */
  uptimeSeconds(): number {
    return Number(process.hrtime.bigint() - this.#startedAt) / 1e9;
  }

  isHealthy(): boolean {
    const ready = (name: string) => this.#endpoints.get(name) === 'ready';
    if (this.useEndpointHealthStatus.length > 0) return this.useEndpointHealthStatus.every(ready);
    if (this.#targets.size > 0) return [...this.#targets].every(ready);
    return this.#system === 'ready';
  }

  report(): HealthReport {
    const elapsed = process.hrtime.bigint() - this.#startedAt;
    return {
      status: this.isHealthy() ? 'ready' : 'notready',
      uptime: { secs: Number(elapsed / 1_000_000_000n), nanos: Number(elapsed % 1_000_000_000n) },
      endpoints: Object.fromEntries(this.#endpoints),
    };
  }
}
