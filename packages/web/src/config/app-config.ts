/** Where the pockychat server is; `apiOrigin` is empty when it serves this client itself. */
export interface AppConfig {
  apiOrigin: string;
}

/**
 * The build-time origin (VITE_API_ORIGIN), overridden by an optional `config.json` next to
 * index.html, so one static build can be pointed at any server without rebuilding.
 */
export async function loadAppConfig(): Promise<AppConfig> {
  const built = normaliseOrigin(import.meta.env.VITE_API_ORIGIN ?? '');
  const override = await fetchConfigFile();
  return { apiOrigin: override ?? built };
}

async function fetchConfigFile(): Promise<string | undefined> {
  try {
    const response = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store' });
    // A server with an SPA fallback answers index.html here: only JSON counts.
    if (!response.ok || !response.headers.get('content-type')?.includes('json')) return undefined;
    const body: unknown = await response.json();
    if (typeof body !== 'object' || body === null || !('apiOrigin' in body)) return undefined;
    return typeof body.apiOrigin === 'string' ? normaliseOrigin(body.apiOrigin) : undefined;
  } catch {
    return undefined;
  }
}

function normaliseOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '');
}
