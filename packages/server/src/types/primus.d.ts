// The parts of Primus 8 and primus-rooms this project uses; neither ships types.
declare module 'primus' {
  import type { IncomingMessage, Server, ServerResponse } from 'node:http';
  import type { Duplex } from 'node:stream';
  import type { EventEmitter } from 'node:events';
  import type { WebSocket } from 'ws';

  namespace Primus {
    interface Spark extends EventEmitter {
      readonly id: string;
      /** The transformer's socket: a `ws` WebSocket for the websockets transformer; null once closed. */
      readonly socket: WebSocket | null;
      /** The upgrade request, kept by Primus (also as `remote`) for the spark's life. */
      request: IncomingMessage & { user?: unknown; tokenHash?: string };
      remote: unknown;
      /** The client's address, read from `remote` (its socket). */
      readonly address: { ip: string; port: number };
      readonly query: Record<string, string>;
      write(data: unknown): boolean;
      end(data?: unknown, options?: { reconnect?: boolean }): void;
      join(room: string, fn?: (err: Error | null) => void): Spark;
      leave(room: string, fn?: (err: Error | null) => void): Spark;
    }
    interface Adapter {
      /** The rooms of a spark, or every room when id is null. */
      get(id: string | null): string[];
    }
    interface Options {
      transformer: string;
      pathname: string;
      maxLength?: number;
      pingInterval?: number | false;
      compression?: boolean;
      plugin?: Record<string, unknown>;
      rooms?: { wildcard?: boolean; adapter?: object };
      transport?: Record<string, unknown>;
    }
    /** A middleware layer: on plain requests `res` is the response, on upgrades the socket. */
    type Middleware = (req: IncomingMessage, res: ServerResponse | Duplex, next: () => void) => void;
  }

  class Primus extends EventEmitter {
    constructor(server: Server, options: Primus.Options);
    readonly connected: number;
    readonly adapter: Primus.Adapter;
    /** Adds a middleware layer, or replaces the one of that name (Primus's own: `authorization`, `cors`, ...). */
    use(name: string, fn: Primus.Middleware): this;
    remove(name: string): this;
    spark(id: string): Primus.Spark | undefined;
    forEach(fn: (spark: Primus.Spark) => void): this;
    library(): string;
    destroy(options: { close?: boolean; reconnect?: boolean; timeout?: number }, fn?: () => void): void;
    static createSocket(
      options: Record<string, unknown>,
    ): new (url: string, options?: Record<string, unknown>) => PrimusClient;
  }

  interface PrimusClient extends EventEmitter {
    write(data: unknown): boolean;
    end(): void;
  }

  export = Primus;
}

declare module 'primus-rooms' {
  const PrimusRooms: unknown;
  export = PrimusRooms;
}
