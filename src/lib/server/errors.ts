import postgres from 'postgres';

/**
 * Every failure a user can cause, with the HTTP status it maps to. The message shown to the
 * user is the translation whose key is `error_<code>`.
 */
export const DOMAIN_ERRORS = {
	invalid_input: 400,
	not_signed_in: 401,
	invalid_credentials: 400,
	too_many_attempts: 429,
	email_taken: 409,
	not_allowed: 403,
	not_found: 404,
	organization_not_verified: 409,
	opportunity_not_published: 409,
	opportunity_cancelled: 409,
	opportunity_started: 409,
	apply_window_closed: 409,
	opportunity_full: 409,
	already_applied: 409,
	not_applied: 409,
	invalid_status_change: 409,
	invitation_used: 410,
	invitation_expired: 410,
	invitation_not_found: 404,
	branch_cycle: 409,
	organization_name_taken: 409,
	capacity_below_accepted: 409,
	too_many_registrations: 429,
	organization_not_pending: 409,
	invalid_parent: 400,
	last_admin: 409,
	guardian_consent_required: 400,
	opportunity_held: 409,
	applicant_not_active: 409,
	attendance_not_accepted: 403,
	checkin_not_open: 409,
	checkin_closed: 409,
	checkout_not_open: 409,
	checkout_closed: 409,
	checkin_code_invalid: 400,
	checkin_code_expired: 400,
	checkin_too_many_attempts: 429,
	already_checked_in: 409,
	not_checked_in: 409,
	already_checked_out: 409,
	correction_reason_required: 400,
	attendance_time_invalid: 400,
	attendance_unchanged: 409,
	star_thresholds_invalid: 400,
	current_password_invalid: 400,
	password_unchanged: 400,
	// Requests no form on the site sends, found by src/lib/server/http/well-formed.ts.
	invalid_encoding: 400,
	repeated_field: 400,
	unsupported_form: 415,
	body_too_large: 413
} as const;

export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;

export class DomainError extends Error {
	readonly code: DomainErrorCode;

	constructor(code: DomainErrorCode, detail?: string) {
		super(detail ? `${code}: ${detail}` : code);
		this.code = code;
		this.name = 'DomainError';
	}

	get status(): number {
		return DOMAIN_ERRORS[this.code];
	}
}

export function isDomainErrorCode(value: string): value is DomainErrorCode {
	return Object.hasOwn(DOMAIN_ERRORS, value);
}

const CONSTRAINT_ERRORS: Record<string, DomainErrorCode> = {
	applications_one_per_person: 'already_applied',
	users_email_key: 'email_taken',
	organizations_name_unique: 'organization_name_taken',
	opportunities_not_overbooked: 'capacity_below_accepted'
};

/**
 * Turns the database's refusals into domain errors: rule violations raised by our triggers
 * (SQLSTATE P0001 with the code as the message), row level security, and named constraints.
 * Anything else is a fault, not bad input, and is thrown as it came.
 */
export function toDomainError(error: unknown): unknown {
	if (!(error instanceof postgres.PostgresError)) {
		return error;
	}
	if (error.code === 'P0001' && isDomainErrorCode(error.message)) {
		return new DomainError(error.message);
	}
	if (error.code === '42501') {
		return new DomainError('not_allowed', error.message);
	}
	if (error.code === '23505' || error.code === '23503') {
		const mapped = CONSTRAINT_ERRORS[error.constraint_name ?? ''];
		return new DomainError(mapped ?? 'invalid_input', error.constraint_name);
	}
	if (
		error.code === '23514' ||
		error.code === '22P02' ||
		error.code === '22007' ||
		error.code === '22008' ||
		// Text Postgres cannot store, such as a NUL byte, and values too long for a column.
		error.code === '22021' ||
		error.code === '22P05' ||
		error.code === '22001'
	) {
		const mapped = CONSTRAINT_ERRORS[error.constraint_name ?? ''];
		return new DomainError(mapped ?? 'invalid_input', error.constraint_name ?? error.message);
	}
	return error;
}

/** Awaits `work`, rethrowing database refusals as domain errors. */
export async function translateErrors<T>(work: Promise<T>): Promise<T> {
	try {
		return await work;
	} catch (error) {
		throw toDomainError(error);
	}
}
