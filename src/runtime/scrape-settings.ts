/** Limits of a combined scrape; each can be given in code. */
export interface ScrapeSettings {
  /** How long one update or exposition-text callback may take before it is abandoned (default 2000 ms). */
  readonly callbackTimeoutMs: number;
  /** Largest exposition text a callback may return, in characters (default 32 MiB). */
  readonly maxCallbackChars: number;
}

export const DEFAULT_SCRAPE_SETTINGS: ScrapeSettings = Object.freeze({
  callbackTimeoutMs: 2000,
  maxCallbackChars: 32 * 1024 * 1024,
});
