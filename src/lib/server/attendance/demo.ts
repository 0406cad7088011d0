import { createHash } from 'node:crypto';
import type { Demo } from '../demo/generate';

export type DemoAttendance = {
	opportunity_id: string;
	person_id: string;
	checked_in_at: Date;
	checked_out_at: Date;
	source: 'code';
};

const MINUTE_MS = 60_000;

/** Hashes the text to a number in [0, 1), so the same demo always gets the same attendance. */
function fraction(text: string): number {
	return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Check-ins and check-outs for the accepted applications to demo events that ended before
 * `now`. About one in seven people never came, so the demo shows no-shows too.
 */
export function demoAttendance(demo: Demo, now: Date): DemoAttendance[] {
	const ended = new Map(
		demo.events
			.filter((event) => event.status === 'published' && event.endsAt < now)
			.map((event) => [event.id, event])
	);
	const rows: DemoAttendance[] = [];
	for (const application of demo.applications) {
		const event = ended.get(application.opportunityId);
		if (!event || application.status !== 'accepted') continue;
		const key = `${application.opportunityId}:${application.applicantId}`;
		if (fraction(`${key}:came`) < 0.14) continue;
		rows.push({
			opportunity_id: event.id,
			person_id: application.applicantId,
			checked_in_at: new Date(
				event.startsAt.getTime() + (fraction(`${key}:in`) * 40 - 25) * MINUTE_MS
			),
			checked_out_at: new Date(
				event.endsAt.getTime() - (fraction(`${key}:out`) * 40 - 10) * MINUTE_MS
			),
			source: 'code'
		});
	}
	return rows;
}
