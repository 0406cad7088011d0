import pino from 'pino';

/** One JSON line per request and per change of data. Never a password, token or personal detail. */
export const log = pino({
	level: process.env.LOG_LEVEL ?? 'info',
	base: undefined,
	redact: ['password', '*.password', 'token', '*.token', 'email', '*.email']
});
