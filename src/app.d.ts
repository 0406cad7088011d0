import type { Actor } from '$lib/server/db';
import type { SessionUser } from '$lib/server/auth/local';
import type { Roles } from '$lib/server/organizations/roles';

declare global {
	namespace App {
		interface Error {
			message: string;
			requestId?: string;
		}
		interface Locals {
			requestId: string;
			user: SessionUser | null;
			actor: Actor;
			roles: Roles;
		}
	}
}

export {};
