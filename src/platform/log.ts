import pino from 'pino';

/**
 * Structured logs without personal data: request logs carry method, route, status and
 * timing, never bodies, cookies, query strings or addresses; known personal fields
 * are redacted if a caller passes them by mistake.
 */
export function createLogger(level: string) {
  return pino({
    level,
    base: { app: 'aukio' },
    redact: {
      paths: [
        '*.email', '*.password', '*.national_id', '*.nationalId', '*.token', '*.cookie', '*.authorization',
        'req.headers', 'req.query', 'req.remoteAddress', 'req.remotePort',
      ],
      censor: '[redacted]',
    },
  });
}
export type Logger = ReturnType<typeof createLogger>;
