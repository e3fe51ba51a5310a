/**
 * Just enough of a browser for sign-in flows: fetch with `redirect: 'manual'`
 * and a cookie jar for one site, so each redirect can be inspected and the
 * cookies a step sets ride along on the next request to that site only.
 */
export class Browser {
  readonly origin: string;
  readonly #jar = new Map<string, string>();

  constructor(siteUrl: string) {
    this.origin = new URL(siteUrl).origin;
  }

  /** The `name=value; ...` Cookie header this browser sends to its site. */
  get cookieHeader(): string {
    return [...this.#jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.#jar.get(name);
  }

  setCookie(name: string, value: string): void {
    this.#jar.set(name, value);
  }

  /** One request, redirects not followed; Set-Cookie answers from the site update the jar. */
  async get(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url, this.origin);
    const sameSite = target.origin === this.origin;
    const headers = new Headers(init.headers);
    if (sameSite && this.#jar.size > 0) headers.set('cookie', this.cookieHeader);
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    if (sameSite) for (const line of response.headers.getSetCookie()) this.#store(line);
    return response;
  }

  #store(line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const expired = attributes.some(
      (a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) <= Date.now()),
    );
    if (expired || value === '') this.#jar.delete(name);
    else this.#jar.set(name, value);
  }
}

/** The attributes of the Set-Cookie line for `name`, lower-cased, e.g. ['path=/', 'httponly', 'samesite=lax']. */
export function cookieAttributes(response: Response, name: string): string[] | undefined {
  const line = response.headers.getSetCookie().find((l) => l.startsWith(`${name}=`));
  return line
    ?.split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());
}

/** The `name=value` of the Set-Cookie line for `name`. */
export function cookiePair(response: Response, name: string): string | undefined {
  return response.headers
    .getSetCookie()
    .find((l) => l.startsWith(`${name}=`))
    ?.split(';')[0];
}
