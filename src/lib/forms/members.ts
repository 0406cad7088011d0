import { z } from 'zod';
import { wholeNumber } from './fields';

/** Days an invitation link stays usable unless the admin picks another number. */
export const DEFAULT_INVITATION_DAYS = 7;

export const invitationSchema = z.object({
	role: z.enum(['staff', 'admin'], { error: 'invalid_choice' }).default('staff'),
	// Checked as digits: a number field would read "1.5" or "1e309" as 1.
	days: wholeNumber(1, 30, 'invitation_days_range').default(String(DEFAULT_INVITATION_DAYS))
});

/** An invitation to create: its role, and the days its link stays usable. */
export type InvitationInput = { role: z.infer<typeof invitationSchema>['role']; days: number };

export const invitationChoiceSchema = z.object({ invitationId: z.uuid('invalid_choice') });

export const memberChoiceSchema = z.object({ userId: z.uuid('invalid_choice') });

/** An invitation token as newToken() writes it: 32 random bytes in base64url, 43 characters. */
export const invitationTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
