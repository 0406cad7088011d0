import { createHash, randomBytes } from 'node:crypto';

/** A fresh opaque token: 256 random bits, base64url. */
export function newToken(): string {
	return randomBytes(32).toString('base64url');
}

/** The SHA-256 of a token: all the database ever stores of it. */
export function hashToken(token: string): Buffer {
	return createHash('sha256').update(token).digest();
}
