/**
 * The URL a server is reached at: shown in logs and ready lines, and announced through discovery (the
 * request plane's addresses, the status URLs that HTTP service discovery hands to Prometheus). A server
 * bound to one address is announced at that address, the only one it answers on. A wildcard bind
 * (`0.0.0.0`, `::`) listens on every interface but is not an address anyone can dial: it is announced at the
 * advertise host (`DYN_ADVERTISE_HOST`, `--advertise-host`: a pod IP, a node's DNS name), else as 127.0.0.1,
 * which reaches it from this machine only.
 */

/** Whether `host` binds every interface. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** `host` as the host part of a URL: IPv6 literals in brackets. */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `http://host:port` of a server bound to `bindHost:port`; a wildcard bind as `advertiseHost` or 127.0.0.1. */
export function serverUrl(bindHost: string, port: number, advertiseHost?: string): string {
  const host = isWildcardHost(bindHost) ? (advertiseHost ?? '127.0.0.1') : bindHost;
  return `http://${urlHost(host)}:${port}`;
}

/**
 * Checks an advertise host: a DNS name, an IPv4 address or an IPv6 literal, without scheme, port or path
 * (those come from the server itself). Returns the reason it is not one, or undefined when it is.
 */
export function advertiseHostProblem(host: string): string | undefined {
  if (host === '') return 'it is empty';
  if (isWildcardHost(host)) return 'a wildcard address cannot be dialled; name an address of this machine';
  if (/[\s/?#@\\]/.test(host)) return 'a host has no scheme, path, credentials or spaces';
  let parsed: URL;
  try {
    parsed = new URL(`http://${urlHost(host)}/`);
  } catch {
    return 'it is not a host name or an IP address';
  }
  if (parsed.port !== '' || parsed.pathname !== '/') return 'give the host alone, without a port';
  return undefined;
}
