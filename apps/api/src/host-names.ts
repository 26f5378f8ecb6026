// The host a request asked for, as the access gate compares it.

/** A hostname (or bracketed IPv6 address) with an optional port. */
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?)*\.?)(?::\d{1,5})?$/i;

/** The Host header's name, lower case, without port or trailing dot; undefined when it is not a host. */
export function hostnameOfRequest(request: Request): string | undefined {
  const name = HOST.exec(request.headers.get('host') ?? '')?.[1];
  return name?.toLowerCase().replace(/\.$/, '');
}

/** Names that always reach this machine, whatever a DNS server answers. */
export function isLoopbackName(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname) || hostname === '[::1]'
  );
}
