// Base URLs of the orchestration service, normalised once so that every later comparison (which
// origin gets the token, which history entries this service can reach) compares like with like:
// `HTTP://Orchestration.Civitai.com/./v2/../` and `https://orchestration.civitai.com` are one
// service. URLs carrying credentials are refused (and never echoed): the token is the only
// credential, and it travels in a header.

export const CIVITAI_BASE_URL = 'https://orchestration.civitai.com';

export class BaseUrlError extends TypeError {
  override readonly name = 'BaseUrlError';
}

/**
 * The canonical form of a base URL: lower-case scheme and host, dot segments resolved, default
 * port dropped, no trailing slash. Throws BaseUrlError (with a message safe to show) otherwise.
 */
export function normalizeBaseUrl(text: string): string {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new BaseUrlError(`Invalid base URL: ${describeUnparsable(trimmed)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new BaseUrlError(`Base URL must be http(s), not ${url.protocol}`);
  if (url.username || url.password) {
    throw new BaseUrlError(`Base URL ${url.protocol}//${url.host} carries a user name or password: remove it (the API token is sent in a header, never in the URL).`);
  }
  if (url.search || url.hash) throw new BaseUrlError(`Base URL ${url.protocol}//${url.host}${url.pathname} must not have a query or fragment.`);
  // The URL parser already lower-cased scheme and host, dropped the default port and resolved
  // `.` and `..` segments; what is left is the trailing slash.
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** Whether `hostname` is this machine (a local emulator). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Whether a base URL points at Civitai itself (https, civitai.com or a subdomain). */
export function isCivitaiHost(baseUrl: string): boolean {
  try {
    const url = new URL(baseUrl);
    const host = url.hostname.toLowerCase();
    return url.protocol === 'https:' && (host === 'civitai.com' || host.endsWith('.civitai.com'));
  } catch {
    return false;
  }
}

/** Civitai, or a loopback emulator: the hosts a token may go to without asking. */
export function isTrustedTokenHost(baseUrl: string): boolean {
  if (isCivitaiHost(baseUrl)) return true;
  try {
    return isLoopbackHost(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}

/** `scheme://host` of a URL (for messages: never the path, query or credentials). */
export function displayOrigin(text: string): string {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '(invalid URL)';
  }
}

function describeUnparsable(text: string): string {
  // An unparsable URL may still hold `user:password@`: show only what precedes any `@`.
  const at = text.indexOf('@');
  const shown = at >= 0 ? `${text.slice(0, text.indexOf('//') + 2)}[redacted]@…` : text;
  return shown.length > 80 ? `${shown.slice(0, 80)}…` : shown;
}
