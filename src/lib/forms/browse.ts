import { z } from 'zod';
import { digitsNumber, optionalText } from './fields';

/** A day to browse from or to, in the years events can have, or empty for no limit. */
const date = z
	.union([
		z.iso
			.date('invalid_date')
			.refine((value) => value >= '2000-01-01' && value <= '2100-12-31', 'invalid_date'),
		z.literal('')
	])
	.default('');

export const browseSchema = z.object({
	q: optionalText(100),
	orbit: z.enum(['public', 'self', '']).default(''),
	town: z
		.string()
		.max(40)
		.regex(/^[a-z_]*$/)
		.default(''),
	from: date,
	to: date,
	page: digitsNumber(1, 500, 'invalid_number').default(1)
});

export type BrowseQuery = z.infer<typeof browseSchema>;
