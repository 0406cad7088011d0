import { z } from 'zod';
import { fromLocalInput } from '$lib/time';

/**
 * Field rules shared by the forms. Each message is a code; the page shows the translation
 * `field_<code>` next to the field.
 */
export const text = (min: number, max: number) =>
	z
		.string({ error: 'required' })
		.trim()
		.min(1, 'required')
		.min(min, 'too_short')
		.max(max, 'too_long');

export const optionalText = (max: number) => z.string().trim().max(max, 'too_long').default('');

export const localDateTime = z
	.string({ error: 'required' })
	.min(1, 'required')
	.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'invalid_date')
	.refine((value) => {
		const parsed = fromLocalInput(value);
		return parsed !== null && parsed.getUTCFullYear() >= 2000 && parsed.getUTCFullYear() <= 2100;
	}, 'invalid_date');

export const email = z
	.string({ error: 'required' })
	.trim()
	.min(1, 'required')
	.max(254, 'too_long')
	.email('invalid_email');

export const password = z
	.string({ error: 'required' })
	.min(8, 'password_too_short')
	.max(200, 'too_long');

export const code = z
	.string()
	.trim()
	.max(40, 'too_long')
	.regex(/^[a-z_]*$/, 'invalid_choice');
