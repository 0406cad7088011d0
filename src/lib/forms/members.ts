import { z } from 'zod';

/** Days an invitation link stays usable unless the admin picks another number. */
export const DEFAULT_INVITATION_DAYS = 7;

export const invitationSchema = z.object({
	role: z.enum(['staff', 'admin'], { error: 'invalid_choice' }).default('staff'),
	days: z
		.number({ error: 'invalid_number' })
		.int('invalid_number')
		.min(1, 'invitation_days_range')
		.max(30, 'invitation_days_range')
		.default(DEFAULT_INVITATION_DAYS)
});

export type InvitationInput = z.infer<typeof invitationSchema>;

export const invitationChoiceSchema = z.object({ invitationId: z.uuid('invalid_choice') });

export const memberChoiceSchema = z.object({ userId: z.uuid('invalid_choice') });

/** An invitation token as newToken() writes it: 32 random bytes in base64url, 43 characters. */
export const invitationTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
