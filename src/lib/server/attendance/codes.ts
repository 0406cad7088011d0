import { Secret, TOTP } from 'otpauth';

/** Seconds each check-in code is shown before the next one replaces it. */
export const CODE_PERIOD_SECONDS = 30;

export type CheckinCode = { code: string; expiresAt: Date };

/**
 * Derives the check-in code of an event's secret at an instant: a TOTP value (RFC 6238,
 * HMAC-SHA1, 30-second steps, 6 digits). The database checks typed codes with
 * private.totp_code, which computes the same value.
 */
export function checkinCode(secret: Uint8Array, at: Date): CheckinCode {
	// A copy, because a Buffer from the driver may be a view into a larger shared ArrayBuffer.
	const buffer = Uint8Array.from(secret).buffer;
	const totp = new TOTP({
		algorithm: 'SHA1',
		digits: 6,
		period: CODE_PERIOD_SECONDS,
		secret: new Secret({ buffer })
	});
	const timestamp = at.getTime();
	const remaining = TOTP.remaining({ period: CODE_PERIOD_SECONDS, timestamp });
	return { code: totp.generate({ timestamp }), expiresAt: new Date(timestamp + remaining) };
}
