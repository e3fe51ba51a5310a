import type { ChatService } from '../chat/chat-service.ts';
import type { Identity } from '../chat/identity.ts';
import type { Presence } from '../chat/presence.ts';
import type { PushParts } from '../push/push-wiring.ts';
import type { Metrics } from '../transport/metrics.ts';
import { Realtime } from '../transport/realtime/realtime.ts';
import { hardenEveryResponse, responseHeaders } from '../transport/response-headers.ts';
import type { WiringBase } from './feature.ts';

/** Primus on the HTTP server (its close() ends every connection), and the response headers on every answer. */
export function wireRealtime(
  base: WiringBase,
  parts: {
    chat: ChatService;
    identity: Identity;
    metrics: Metrics;
    push: PushParts;
    presence: Presence | undefined;
  },
): Realtime {
  const { config, log, fanout, clock, http } = base;
  const { push, presence } = parts;
  const headers = responseHeaders({ tls: Boolean(config.tls) });
  const realtime = new Realtime({
    server: http.server,
    chat: parts.chat,
    identity: parts.identity,
    fanout,
    clock,
    log,
    allowedOrigins: config.allowedOrigins,
    maxFrameBytes: config.maxFrameBytes,
    parseCookie: (header) => http.parseCookie(header),
    metrics: parts.metrics,
    maxBufferedBytes: config.maxBufferedBytes,
    frameLimit: { limit: config.rateLimit.messages * 10, windowMs: config.rateLimit.windowMs },
    responseHeaders: headers,
    ...(push.tabs && { tabs: push.tabs }),
    ...(presence && { presence }),
  });
  // After Primus, which moves the 'request' listeners it finds behind its own.
  hardenEveryResponse(http.server, headers);
  return realtime;
}
