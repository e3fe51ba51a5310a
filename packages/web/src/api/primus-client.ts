/** The part of the Primus browser client (served by the server at /primus/primus.js) used here. */
export interface PrimusSocket {
  readyState: number;
  write(data: unknown): boolean;
  open(): PrimusSocket;
  end(): PrimusSocket;
  on(event: 'data', listener: (data: unknown) => void): PrimusSocket;
  on(event: 'reconnect scheduled', listener: (options: { attempt: number; scheduled: number }) => void): PrimusSocket;
  on(event: 'error', listener: (error: Error) => void): PrimusSocket;
  on(event: 'open' | 'end' | 'close' | 'reconnect' | 'reconnected', listener: () => void): PrimusSocket;
}

export interface PrimusOptions {
  reconnect?: { min?: number; max?: number; retries?: number; factor?: number };
  strategy?: string[];
  manual?: boolean;
  timeout?: number;
}

export interface PrimusConstructor {
  new (url: string, options?: PrimusOptions): PrimusSocket;
  readonly OPEN: number;
}

declare global {
  interface Window {
    Primus?: PrimusConstructor;
  }
}

let loading: Promise<PrimusConstructor> | undefined;

/**
 * Loads the server's own Primus client with a script tag: it must match the server's Primus
 * version and transformer, so it is never bundled. A failed load can be tried again.
 */
export function loadPrimus(apiOrigin: string): Promise<PrimusConstructor> {
  if (window.Primus) return Promise.resolve(window.Primus);
  loading ??= new Promise<PrimusConstructor>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = `${apiOrigin}/primus/primus.js`;
    script.async = true;
    script.onload = () => (window.Primus ? resolve(window.Primus) : reject(new Error('primus.js defined no Primus')));
    script.onerror = () => {
      script.remove();
      reject(new Error(`could not load ${script.src}`));
    };
    document.head.append(script);
  }).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
