import { z } from 'zod';
import { fromLocalInput } from '$lib/time';
import { code, localDateTime, multilineText, optionalText, text, wholeNumber } from './fields';

export const eventSchema = z
	.object({
		title: text(2, 120),
		description: multilineText(5000),
		theme: optionalText(60),
		orbit: z.enum(['public', 'self'], { error: 'invalid_choice' }),
		townCode: code.default(''),
		place: optionalText(200),
		startsAt: localDateTime,
		endsAt: localDateTime,
		applyOpensAt: localDateTime,
		applyClosesAt: localDateTime,
		capacity: wholeNumber(1, 100000, 'capacity_range')
	})
	.superRefine((value, context) => {
		const starts = fromLocalInput(value.startsAt);
		const ends = fromLocalInput(value.endsAt);
		const opens = fromLocalInput(value.applyOpensAt);
		const closes = fromLocalInput(value.applyClosesAt);
		if (starts && ends && ends <= starts) {
			context.addIssue({ code: 'custom', path: ['endsAt'], message: 'ends_before_start' });
		}
		if (opens && closes && closes <= opens) {
			context.addIssue({ code: 'custom', path: ['applyClosesAt'], message: 'closes_before_opens' });
		}
		if (closes && starts && closes > starts) {
			context.addIssue({ code: 'custom', path: ['applyClosesAt'], message: 'closes_after_start' });
		}
	});

export type EventInput = z.infer<typeof eventSchema>;
