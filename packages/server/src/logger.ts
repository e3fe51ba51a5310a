import pino, { type Logger } from 'pino';

/**
 * JSON logs. Tokens and cookies are redacted, and the query string (which
 * may hold access_token) is cut from logged URLs; message text is never
 * logged above debug.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split('?')[0],
      }),
    },
  });
}
