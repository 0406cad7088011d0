import { z } from 'zod';

/** The tables whose changes the audit log records, in the order the filter lists them. */
export const AUDIT_TABLES = [
	'opportunities',
	'applications',
	'organizations',
	'quotas',
	'attendance',
	'attendance_corrections',
	'org_members',
	'coordinators',
	'volunteer_settings',
	'users'
] as const;

export type AuditTable = (typeof AUDIT_TABLES)[number];

/** The GET parameters of /coordinator/audit. An empty table means every table. */
export const auditFilterSchema = z.object({
	table: z.preprocess(
		(value) => (value === '' || value === null ? undefined : value),
		z.enum(AUDIT_TABLES, { error: 'invalid_choice' }).optional()
	)
});
