import { z } from 'zod';
import { code, text } from './fields';

const optionalId = z.union([z.uuid('invalid_choice'), z.literal('')]).default('');
const requiredId = z.uuid('invalid_choice');

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

/** A league branch added by a coordinator. Every organization has a contact, branches too. */
export const branchSchema = organizationSchema
	.pick({ name: true, kind: true, townCode: true, contactName: true, contactPhone: true })
	.extend({
		parentId: optionalId
	});

export type BranchInput = z.infer<typeof branchSchema>;

/** A form that names one organization: verify, reject, deactivate, reactivate. */
export const organizationChoiceSchema = z.object({ organizationId: requiredId });

export const renameBranchSchema = z.object({ organizationId: requiredId, name: text(2, 80) });

/** An empty parent makes the branch a root of the tree. */
export const moveBranchSchema = z.object({ organizationId: requiredId, parentId: optionalId });
