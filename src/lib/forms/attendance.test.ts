import { describe, expect, it } from 'vitest';
import {
	attendanceRecordSchema,
	checkinCodeSchema,
	hoursPeriodSchema,
	starThresholdsSchema
} from './attendance';

function firstMessage(result: { success: boolean; error?: { issues: { message: string }[] } }) {
	return result.success ? null : (result.error?.issues[0]?.message ?? null);
}

describe('checkinCodeSchema', () => {
	it('accepts six digits and drops spaces', () => {
		expect(checkinCodeSchema.parse({ code: '503 005' }).code).toBe('503005');
	});

	it('rejects other lengths and letters', () => {
		expect(firstMessage(checkinCodeSchema.safeParse({ code: '50300' }))).toBe(
			'checkin_code_format'
		);
		expect(firstMessage(checkinCodeSchema.safeParse({ code: '50300a' }))).toBe(
			'checkin_code_format'
		);
		expect(firstMessage(checkinCodeSchema.safeParse({ code: '' }))).toBe('required');
	});
});

describe('attendanceRecordSchema', () => {
	const personId = '6f1c1a2e-5b0a-4c55-8a57-0f1f3b7d2c11';

	it('accepts times with a reason', () => {
		const parsed = attendanceRecordSchema.parse({
			personId,
			checkedInAt: '2026-12-05T09:00',
			checkedOutAt: '2026-12-05T11:30',
			reason: ' No phone '
		});
		expect(parsed.reason).toBe('No phone');
	});

	it('needs a reason', () => {
		const result = attendanceRecordSchema.safeParse({ personId, checkedInAt: '', reason: ' ' });
		expect(firstMessage(result)).toBe('correction_reason_required');
	});

	it('needs a check-in before a check-out', () => {
		const missing = attendanceRecordSchema.safeParse({
			personId,
			checkedOutAt: '2026-12-05T11:30',
			reason: 'No phone'
		});
		expect(firstMessage(missing)).toBe('check_in_required');
		const reversed = attendanceRecordSchema.safeParse({
			personId,
			checkedInAt: '2026-12-05T11:30',
			checkedOutAt: '2026-12-05T09:00',
			reason: 'No phone'
		});
		expect(firstMessage(reversed)).toBe('check_out_before_check_in');
	});

	it('accepts both times empty to clear a record', () => {
		expect(attendanceRecordSchema.safeParse({ personId, reason: 'Entered twice' }).success).toBe(
			true
		);
	});
});

describe('starThresholdsSchema', () => {
	it('accepts ascending positive whole numbers', () => {
		const values = { one: '100', two: '300', three: '600', four: '1000', five: '1500' };
		expect(starThresholdsSchema.safeParse(values).success).toBe(true);
	});

	it('rejects a level not above the one before', () => {
		const result = starThresholdsSchema.safeParse({
			one: '100',
			two: '300',
			three: '300',
			four: '1000',
			five: '1500'
		});
		expect(firstMessage(result)).toBe('star_thresholds_ascending');
	});

	it('rejects zero and fractions', () => {
		const zero = starThresholdsSchema.safeParse({
			one: '0',
			two: '3',
			three: '6',
			four: '10',
			five: '15'
		});
		expect(firstMessage(zero)).toBe('star_threshold_range');
		const fraction = starThresholdsSchema.safeParse({
			one: '99.5',
			two: '300',
			three: '600',
			four: '1000',
			five: '1500'
		});
		expect(firstMessage(fraction)).toBe('invalid_number');
	});
});

describe('hoursPeriodSchema', () => {
	it('reads a year or all', () => {
		expect(hoursPeriodSchema.parse('2026')).toBe(2026);
		expect(hoursPeriodSchema.parse('all')).toBe('all');
		expect(hoursPeriodSchema.safeParse('1999').success).toBe(false);
		expect(hoursPeriodSchema.safeParse('twenty').success).toBe(false);
	});
});
