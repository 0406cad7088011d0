import { m } from '$lib/paraglide/messages';

// Each lookup goes through a table that names every message it can return. Indexing `m` with a
// key built at run time would keep all of Paraglide's messages, in both languages, in every
// page's browser bundle. A unit test checks that each table lists every message of its prefix
// that takes no parameters (`error_invalid_filter` needs its value and field, so callers use it
// directly).

type Translate = () => string;

/** Domain error codes and their messages. */
const ERROR_MESSAGES: Record<string, Translate> = {
	already_applied: m.error_already_applied,
	already_checked_in: m.error_already_checked_in,
	already_checked_out: m.error_already_checked_out,
	applicant_not_active: m.error_applicant_not_active,
	apply_window_closed: m.error_apply_window_closed,
	attendance_not_accepted: m.error_attendance_not_accepted,
	attendance_time_invalid: m.error_attendance_time_invalid,
	attendance_unchanged: m.error_attendance_unchanged,
	body_too_large: m.error_body_too_large,
	branch_cycle: m.error_branch_cycle,
	capacity_below_accepted: m.error_capacity_below_accepted,
	checkin_closed: m.error_checkin_closed,
	checkin_code_expired: m.error_checkin_code_expired,
	checkin_code_invalid: m.error_checkin_code_invalid,
	checkin_not_open: m.error_checkin_not_open,
	checkin_too_many_attempts: m.error_checkin_too_many_attempts,
	checkout_closed: m.error_checkout_closed,
	checkout_not_open: m.error_checkout_not_open,
	correction_reason_required: m.error_correction_reason_required,
	cross_site: m.error_cross_site,
	current_password_invalid: m.error_current_password_invalid,
	email_taken: m.error_email_taken,
	guardian_consent_required: m.error_guardian_consent_required,
	invalid_credentials: m.error_invalid_credentials,
	invalid_encoding: m.error_invalid_encoding,
	invalid_input: m.error_invalid_input,
	invalid_parent: m.error_invalid_parent,
	invalid_status_change: m.error_invalid_status_change,
	invitation_expired: m.error_invitation_expired,
	invitation_not_found: m.error_invitation_not_found,
	invitation_used: m.error_invitation_used,
	last_admin: m.error_last_admin,
	not_allowed: m.error_not_allowed,
	not_applied: m.error_not_applied,
	not_checked_in: m.error_not_checked_in,
	not_found: m.error_not_found,
	not_signed_in: m.error_not_signed_in,
	opportunity_cancelled: m.error_opportunity_cancelled,
	opportunity_full: m.error_opportunity_full,
	opportunity_held: m.error_opportunity_held,
	opportunity_not_published: m.error_opportunity_not_published,
	opportunity_started: m.error_opportunity_started,
	organization_name_taken: m.error_organization_name_taken,
	organization_not_pending: m.error_organization_not_pending,
	organization_not_verified: m.error_organization_not_verified,
	password_unchanged: m.error_password_unchanged,
	pdf_font_missing: m.error_pdf_font_missing,
	repeated_field: m.error_repeated_field,
	request_id: m.error_request_id,
	star_thresholds_invalid: m.error_star_thresholds_invalid,
	too_many_attempts: m.error_too_many_attempts,
	too_many_registrations: m.error_too_many_registrations,
	unexpected: m.error_unexpected,
	unsupported_form: m.error_unsupported_form
};

/** Form field problem codes and their messages. */
const FIELD_MESSAGES: Record<string, Translate> = {
	actions: m.field_actions,
	applicants: m.field_applicants,
	applied_at: m.field_applied_at,
	apply_closes_at: m.field_apply_closes_at,
	apply_opens_at: m.field_apply_opens_at,
	apply_window: m.field_apply_window,
	birth_date: m.field_birth_date,
	branch: m.field_branch,
	capacity: m.field_capacity,
	capacity_range: m.field_capacity_range,
	check_in_required: m.field_check_in_required,
	check_out_before_check_in: m.field_check_out_before_check_in,
	checkin_code_format: m.field_checkin_code_format,
	closes_after_start: m.field_closes_after_start,
	closes_before_opens: m.field_closes_before_opens,
	confirm_password: m.field_confirm_password,
	consent_required: m.field_consent_required,
	contact_name: m.field_contact_name,
	contact_phone: m.field_contact_phone,
	correction_reason_required: m.field_correction_reason_required,
	current_password: m.field_current_password,
	current_password_invalid: m.field_current_password_invalid,
	description: m.field_description,
	display_name: m.field_display_name,
	email: m.field_email,
	ends_at: m.field_ends_at,
	ends_before_start: m.field_ends_before_start,
	guardian: m.field_guardian,
	guardian_name: m.field_guardian_name,
	guardian_phone: m.field_guardian_phone,
	invalid: m.field_invalid,
	invalid_birth_date: m.field_invalid_birth_date,
	invalid_characters: m.field_invalid_characters,
	invalid_choice: m.field_invalid_choice,
	invalid_date: m.field_invalid_date,
	invalid_email: m.field_invalid_email,
	invalid_number: m.field_invalid_number,
	invalid_phone: m.field_invalid_phone,
	invitation_days: m.field_invitation_days,
	invitation_days_range: m.field_invitation_days_range,
	kind: m.field_kind,
	new_password: m.field_new_password,
	orbit: m.field_orbit,
	organization: m.field_organization,
	organization_name: m.field_organization_name,
	parent: m.field_parent,
	password: m.field_password,
	password_hint: m.field_password_hint,
	password_too_short: m.field_password_too_short,
	password_unchanged: m.field_password_unchanged,
	passwords_differ: m.field_passwords_differ,
	place: m.field_place,
	position: m.field_position,
	quota_range: m.field_quota_range,
	registrant: m.field_registrant,
	required: m.field_required,
	role: m.field_role,
	star_threshold_range: m.field_star_threshold_range,
	star_thresholds_ascending: m.field_star_thresholds_ascending,
	starts_at: m.field_starts_at,
	status: m.field_status,
	submitted_at: m.field_submitted_at,
	theme: m.field_theme,
	time: m.field_time,
	title: m.field_title,
	too_long: m.field_too_long,
	too_short: m.field_too_short,
	town: m.field_town,
	year: m.field_year,
	year_range: m.field_year_range
};

/** Organization kinds. */
const KIND_LABELS: Record<string, Translate> = {
	community_branch: m.kind_community_branch,
	company_branch: m.kind_company_branch,
	district_committee: m.kind_district_committee,
	enterprise: m.kind_enterprise,
	government_office: m.kind_government_office,
	public_institution: m.kind_public_institution,
	school_branch: m.kind_school_branch,
	social_organization: m.kind_social_organization,
	town_committee: m.kind_town_committee,
	village_branch: m.kind_village_branch
};

/** Orbits of themed events. */
const ORBIT_LABELS: Record<string, Translate> = {
	public: m.orbit_public,
	public_hint: m.orbit_public_hint,
	self: m.orbit_self,
	self_hint: m.orbit_self_hint
};

/** Opportunity states. */
const STATUS_LABELS: Record<string, Translate> = {
	cancelled: m.status_cancelled,
	draft: m.status_draft,
	held: m.status_held,
	pending: m.status_pending,
	published: m.status_published,
	rejected: m.status_rejected,
	verified: m.status_verified
};

/** Application states. */
const APPLICATION_STATUS_LABELS: Record<string, Translate> = {
	accepted: m.app_status_accepted,
	declined: m.app_status_declined,
	waitlisted: m.app_status_waitlisted,
	withdrawn: m.app_status_withdrawn
};

/** The lookup tables by message-key prefix, for the completeness test. */
export const MESSAGE_TABLES: Record<string, Record<string, Translate>> = {
	error_: ERROR_MESSAGES,
	field_: FIELD_MESSAGES,
	kind_: KIND_LABELS,
	orbit_: ORBIT_LABELS,
	status_: STATUS_LABELS,
	app_status_: APPLICATION_STATUS_LABELS
};

const LABELS = {
	kind: KIND_LABELS,
	orbit: ORBIT_LABELS,
	status: STATUS_LABELS,
	app_status: APPLICATION_STATUS_LABELS
};

function lookup(table: Record<string, Translate>, code: string | undefined | null): string | null {
	if (!code || !Object.hasOwn(table, code)) return null;
	return table[code]!();
}

/** Returns the translated message for a domain error code, in the current language. */
export function errorMessage(code: string | undefined | null): string {
	return lookup(ERROR_MESSAGES, code) ?? m.error_unexpected();
}

/** Returns the translated message for a form field's problem code. */
export function fieldMessage(code: string | undefined | null): string {
	return lookup(FIELD_MESSAGES, code) ?? m.field_invalid();
}

/** Returns the translated name of a reference-data code (an organization kind, an orbit). */
export function codeLabel(prefix: keyof typeof LABELS, code: string | null): string {
	return lookup(LABELS[prefix], code) ?? code ?? '';
}
