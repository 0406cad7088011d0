import { z } from 'zod';
import { code, text } from './fields';

const optionalId = z.union([z.uuid('invalid_choice'), z.literal('')]).default('');

export const organizationSchema = z.object({
	name: text(2, 80),
	kind: code.min(1, 'required'),
	parentId: optionalId,
	townCode: code.default(''),
	contactName: text(1, 60),
	contactPhone: z
		.string({ error: 'required' })
		.trim()
		.min(1, 'required')
		.regex(/^[0-9+\- ]{5,20}$/, 'invalid_phone')
});

export type OrganizationInput = z.infer<typeof organizationSchema>;

export const branchSchema = organizationSchema
	.pick({ name: true, kind: true, townCode: true })
	.extend({
		parentId: optionalId
	});

export type BranchInput = z.infer<typeof branchSchema>;
