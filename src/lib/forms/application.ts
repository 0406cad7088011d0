import { z } from 'zod';
import { optionalText } from './fields';

/** A birth date on the apply form: a real calendar date from 1900 up to today. */
const birthDate = z
	.union([z.iso.date('invalid_birth_date'), z.literal('')])
	.default('')
	.refine(
		(value) => value === '' || (value >= '1900-01-01' && new Date(value) <= new Date()),
		'invalid_birth_date'
	);

/**
 * The apply form. Which of these fields are needed depends on the applicant: the birth date only
 * when their profile has none, the guardian's details only for a minor. The domain function
 * decides and names the missing ones; this schema checks what was sent.
 */
export const applySchema = z.object({
	confirmOverlap: z.boolean().default(false),
	birthDate,
	guardianName: optionalText(60),
	guardianPhone: z
		.string()
		.trim()
		.regex(/^([0-9+\- ]{5,20})?$/, 'invalid_phone')
		.default(''),
	guardianConsent: z.boolean().default(false)
});

export type ApplyInput = z.infer<typeof applySchema>;

/** A staff decision about one applicant of the event on the page. */
export const applicantChoiceSchema = z.object({ applicantId: z.uuid('invalid_choice') });

/** Marks one notification read, or every unread one when the id is empty. */
export const notificationChoiceSchema = z.object({
	notificationId: z.union([z.uuid('invalid_choice'), z.literal('')]).default('')
});
