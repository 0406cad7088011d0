import { createHash, randomBytes } from 'node:crypto';

/** Generates an opaque token of 256 random bits, base64url-encoded. */
export function newToken(): string {
	return randomBytes(32).toString('base64url');
}

/** Hashes a token with SHA-256, the only form of it the database stores. */
export function hashToken(token: string): Buffer {
	return createHash('sha256').update(token).digest();
}
