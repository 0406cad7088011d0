import { z } from 'zod';
import { fromLocalInput } from '$lib/time';
import { digitsNumber, localDateTime, wholeNumber } from './fields';

/** A check-in code as the screen shows it: six digits. Spaces typed between them are dropped. */
export const checkinCodeSchema = z.object({
	code: z
		.string({ error: 'required' })
		.transform((value) => value.replace(/\s+/g, ''))
		.pipe(
			z
				.string()
				.min(1, 'required')
				.regex(/^\d{6}$/, 'checkin_code_format')
		)
});

const optionalLocalDateTime = z.union([z.literal(''), localDateTime]).default('');

/** Staff setting one person's check-in and check-out by hand; both empty clears the record. */
export const attendanceRecordSchema = z
	.object({
		personId: z.uuid('invalid_choice'),
		checkedInAt: optionalLocalDateTime,
		checkedOutAt: optionalLocalDateTime,
		reason: z
			.string({ error: 'correction_reason_required' })
			.trim()
			.min(2, 'correction_reason_required')
			.max(500, 'too_long')
	})
	.superRefine((value, context) => {
		if (value.checkedOutAt && !value.checkedInAt) {
			context.addIssue({ code: 'custom', path: ['checkedInAt'], message: 'check_in_required' });
		}
		const checkedIn = value.checkedInAt ? fromLocalInput(value.checkedInAt) : null;
		const checkedOut = value.checkedOutAt ? fromLocalInput(value.checkedOutAt) : null;
		if (checkedIn && checkedOut && checkedOut < checkedIn) {
			context.addIssue({
				code: 'custom',
				path: ['checkedOutAt'],
				message: 'check_out_before_check_in'
			});
		}
	});

export type AttendanceRecordInput = z.infer<typeof attendanceRecordSchema>;

const threshold = wholeNumber(1, 100000, 'star_threshold_range');

/** Cumulative hours for one to five stars: whole numbers, each above the one before. */
export const starThresholdsSchema = z
	.object({
		one: threshold,
		two: threshold,
		three: threshold,
		four: threshold,
		five: threshold
	})
	.superRefine((value, context) => {
		const keys = ['one', 'two', 'three', 'four', 'five'] as const;
		for (let index = 1; index < keys.length; index++) {
			if (Number(value[keys[index]!]) <= Number(value[keys[index - 1]!])) {
				context.addIssue({
					code: 'custom',
					path: [keys[index]!],
					message: 'star_thresholds_ascending'
				});
			}
		}
	});

export type StarThresholdsInput = z.infer<typeof starThresholdsSchema>;

export function thresholdsOf(input: StarThresholdsInput): number[] {
	return [input.one, input.two, input.three, input.four, input.five].map(Number);
}

/** The period of a record of hours: a year, or everything when absent. */
export const hoursPeriodSchema = z.union([
	z.literal('all'),
	digitsNumber(2000, 2100, 'year_range')
]);
