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
