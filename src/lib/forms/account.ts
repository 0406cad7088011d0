import { z } from 'zod';
import { email, password, text } from './fields';

export const signInSchema = z.object({
	email,
	password: z
		.string({ error: 'required' })
		.min(1, 'required')
		.max(200, 'too_long')
		.refine((value) => !value.includes('\u0000'), 'invalid_characters')
});

export const signUpSchema = z.object({
	displayName: text(1, 60),
	email,
	password
});

/**
 * The password change form. The new password follows the sign-up rule, must differ from the
 * current one and must be typed twice alike.
 */
export const passwordChangeSchema = z
	.object({
		currentPassword: signInSchema.shape.password,
		newPassword: password,
		confirmPassword: z.string({ error: 'required' }).min(1, 'required').max(200, 'too_long')
	})
	.refine((form) => form.newPassword !== form.currentPassword, {
		path: ['newPassword'],
		message: 'password_unchanged'
	})
	.refine((form) => form.confirmPassword === form.newPassword, {
		path: ['confirmPassword'],
		message: 'passwords_differ'
	});
