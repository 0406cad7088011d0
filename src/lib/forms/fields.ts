import { z } from 'zod';
import { fromLocalInput } from '$lib/time';

/**
 * Field rules shared by the forms. Each message is a code; the page shows the translation
 * `field_<code>` next to the field.
 */
/** Control characters, line breaks included: never part of a one-line value. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
/** Control characters other than tab and line breaks: never part of any text. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A one-line text of min to max characters. */
export const text = (min: number, max: number) =>
	z
		.string({ error: 'required' })
		.trim()
		.min(1, 'required')
		.min(min, 'too_short')
		.max(max, 'too_long')
		.refine((value) => !CONTROL_CHARACTERS.test(value), 'invalid_characters');

/** A one-line text that may be empty. */
export const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, 'too_long')
		.refine((value) => !CONTROL_CHARACTERS.test(value), 'invalid_characters')
		.default('');

/** A text of several lines that may be empty. */
export const multilineText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, 'too_long')
		.refine((value) => !CONTROL_CHARACTERS_BUT_LINE_BREAKS.test(value), 'invalid_characters')
		.default('');

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
	.max(200, 'too_long')
	.refine((value) => !value.includes('\u0000'), 'invalid_characters');

export const code = z
	.string()
	.trim()
	.max(40, 'too_long')
	.regex(/^[a-z_]*$/, 'invalid_choice');

/**
 * A whole number typed into a form, checked as text. Superforms reads number fields with
 * parseInt or parseFloat, which would quietly turn "1.5" into 1 and "12abc" into 12, so the
 * digits are checked here and the caller converts with Number().
 */
export const wholeNumber = (min: number, max: number, rangeCode: string) =>
	z
		.string({ error: 'required' })
		.trim()
		.min(1, 'required')
		.regex(/^[0-9]{1,9}$/, 'invalid_number')
		.refine((value) => Number(value) >= min && Number(value) <= max, rangeCode);

/**
 * A whole number from a URL parameter (or already a number), as a number. Only digits count:
 * z.coerce.number() would read "0x7ea" as 2026, "2e3" as 2000 and " " as 0.
 */
export const digitsNumber = (min: number, max: number, rangeCode: string) =>
	z.preprocess(
		(value) => (typeof value === 'number' ? String(value) : value),
		z
			.string({ error: 'invalid_number' })
			.trim()
			.regex(/^[0-9]{1,9}$/, 'invalid_number')
			.transform(Number)
			.pipe(z.number().min(min, rangeCode).max(max, rangeCode))
	);
