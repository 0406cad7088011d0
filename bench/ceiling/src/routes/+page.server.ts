import { error } from '@sveltejs/kit';
import { savedPage } from './data';

/** Returns the browse page's data from memory. */
export const load = ({ url }: { url: URL }) => {
	const page = savedPage(url.search);
	if (!page) {
		error(404, 'not saved');
	}
	return page;
};
