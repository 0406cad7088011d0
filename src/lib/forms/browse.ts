import { z } from 'zod';
import { optionalText } from './fields';

const date = z.union([z.iso.date('invalid_date'), z.literal('')]).default('');

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
	page: z.coerce.number().int().min(1).max(500).default(1)
});

export type BrowseQuery = z.infer<typeof browseSchema>;
