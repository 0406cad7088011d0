import { describe, expect, it } from 'vitest';
import { eventPhase } from './phase';

const endsAt = new Date('2026-12-05T12:00:00+08:00');

describe('eventPhase', () => {
	it('is published before the end', () => {
		expect(eventPhase('published', endsAt, new Date('2026-12-05T11:59:00+08:00'))).toBe(
			'published'
		);
	});

	it('is held from the end of a published event', () => {
		expect(eventPhase('published', endsAt, endsAt)).toBe('held');
	});

	it('keeps draft and cancelled after the end', () => {
		const later = new Date('2026-12-06T00:00:00+08:00');
		expect(eventPhase('draft', endsAt, later)).toBe('draft');
		expect(eventPhase('cancelled', endsAt, later)).toBe('cancelled');
	});
});
