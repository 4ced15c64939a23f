// Which Host and Origin headers the headless host accepts (pure). The Host check stops DNS
// rebinding (a page on evil.example whose name now points at 127.0.0.1); the Origin check stops
// other sites' pages in the user's browser from calling the API.
import { isIP } from 'node:net';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** True for the loopback addresses and names: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1' || (isIP(h) === 4 && h.startsWith('127.'));
}

/** True for the addresses that mean "every interface". */
export function isWildcardHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === '0.0.0.0' || h === '::' || h === '0:0:0:0:0:0:0:0';
}

/** A host as it appears in a URL: IPv6 literals in brackets, names lower-cased. */
export function urlHost(host: string): string {
  const h = host.replace(/^\[|\]$/g, '');
  return isIP(h) === 6 ? `[${h.toLowerCase()}]` : h.toLowerCase();
}

/** The base URL (no trailing slash) that a client on this machine uses to reach a host bound to `host`:`port`. */
export function baseUrl(host: string, port: number): string {
  if (isWildcardHost(host)) return `http://${host.includes(':') ? '[::1]' : '127.0.0.1'}:${port}`;
  return `http://${urlHost(host)}:${port}`;
}

export interface HostPolicy {
  /** The names a Host header may carry, for messages. */
  readonly names: readonly string[];
  /** True when the hostname of a Host header (as in a URL: brackets for IPv6) is one this host answers to. */
  allowsHostname(hostname: string): boolean;
  /** True when a request with this Origin header and this (already accepted) Host header may proceed. */
  allowsOrigin(origin: string, hostHeader: string): boolean;
}

/**
 * The policy of a host bound to `host`:`port`. Bound to loopback it answers to localhost,
 * 127.0.0.1 and [::1]; bound to one address, to that address; bound to every interface
 * (0.0.0.0, ::), to any IP address, localhost and this machine's name (`machineName`).
 */
export function hostPolicy(host: string, port: number, machineName: string): HostPolicy {
  const bound = urlHost(host);
  const wildcard = isWildcardHost(host);
  const fixed = isLoopbackHost(host) ? [...new Set([...LOOPBACK_NAMES, bound])] : wildcard ? ['localhost'] : [bound];
  const machine = machineName.toLowerCase();
  const names = wildcard ? [...fixed, machine, 'any IP address'] : fixed;

  const allowsHostname = (hostname: string): boolean => {
    const h = hostname.toLowerCase();
    if (fixed.includes(h)) return true;
    if (!wildcard) return false;
    return h === machine || h === `${machine}.local` || isIP(h.replace(/^\[|\]$/g, '')) !== 0;
  };

  return {
    names,
    allowsHostname,
    allowsOrigin(origin, hostHeader) {
      // same origin as the page the request came from (the browser used this Host)
      if (origin.toLowerCase() === `http://${hostHeader.toLowerCase()}`) return true;
      // a page of this host opened under another of its loopback names
      return !wildcard && fixed.some((name) => origin.toLowerCase() === `http://${name}:${port}`);
    },
  };
}

/** The hostname part of a Host header (brackets kept for IPv6), or null when it is not a valid host. */
export function hostnameOf(hostHeader: string): string | null {
  try {
    const url = new URL(`http://${hostHeader}`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return null;
    return url.hostname;
  } catch {
    return null;
  }
}
