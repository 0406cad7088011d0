// The floor of the browse benchmark: a bare node:http server that runs the app's own browse and
// search query (browseOpportunities, one RLS transaction per request, role and claims set in one
// statement) through postgres.js and writes the cards into a template string. No framework, no
// session lookup: what the database and the driver alone cost. The header x-bench-actor carries
// the signed-in person's id. Listens on 127.0.0.1:$PORT with DATABASE_URL; started by bench/browse.ts.
import { createServer } from 'node:http';
import { createDatabase } from '../src/lib/server/db/client';
import { browseOpportunities, type OpportunityCard } from '../src/lib/server/events/browse';

const database = createDatabase(process.env.DATABASE_URL!, {
	max: Number(process.env.DATABASE_POOL_SIZE ?? 10)
});

const ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};
const escape = (text: string) => text.replace(/[&<>"']/g, (character) => ESCAPES[character]!);

function renderCard(card: OpportunityCard): string {
	return `<article class="card"><span class="badge">${card.orbit}</span>
<h2><a href="/opportunities/${card.id}">${escape(card.title)}</a></h2>
<p class="muted">${escape(card.organizationName)} · ${escape(card.place)}</p>
<p><time datetime="${card.startsAt.toISOString()}">${card.startsAt.toISOString()}</time> · ${card.placesLeft}/${card.capacity}</p></article>`;
}

const server = createServer((request, response) => {
	const url = new URL(request.url ?? '/', 'http://127.0.0.1');
	const actorHeader = request.headers['x-bench-actor'];
	const actor = typeof actorHeader === 'string' ? { id: actorHeader } : null;
	browseOpportunities(database, actor, {
		query: url.searchParams.get('q') ?? '',
		orbit: '',
		townCode: '',
		from: null,
		to: null,
		page: 1
	}).then(
		({ cards }) => {
			response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			response.end(
				`<!doctype html><html lang="zh-CN"><body><main>${cards.map(renderCard).join('')}</main></body></html>`
			);
		},
		(error: unknown) => {
			response.writeHead(500, { 'content-type': 'text/plain' });
			response.end(String(error));
		}
	);
});

server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
