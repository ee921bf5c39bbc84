import pino from 'pino';

export type Logger = pino.Logger;

/** Keys whose values must never reach a log line, wherever they appear. */
export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'clientSecret',
  '*.clientSecret',
  'sharedKey',
  '*.sharedKey',
  'authorizationKey',
  '*.authorizationKey',
];

export interface CreateLoggerOptions {
  level?: string;
  /** Where lines go; tests pass a stream to capture and assert on the log. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return pino(
    { level: options.level ?? 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: undefined },
    options.destination,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
