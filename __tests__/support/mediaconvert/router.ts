/**
 * The REST-JSON routes of the MediaConvert stand-in: one method and path shape each,
 * mapped onto the store. Unknown routes raise RouteNotFound so the gap is obvious.
 */
import type { MediaConvertStore, SearchJobsQuery } from './store';

type Json = Record<string, unknown>;

/** The API version prefix of every MediaConvert path. */
export const API_PREFIX = '2017-08-29';

/** No route matches; the server answers with a NotFoundException and logs it. */
export class RouteNotFound extends Error {
  constructor() {
    super('no route');
    this.name = 'RouteNotFound';
  }
}

/** SearchJobs' query members (`inputFile`, `queue`, `status`, `order`, `maxResults`, `nextToken`). */
function searchQuery(query: URLSearchParams): SearchJobsQuery {
  const text = (name: string) => query.get(name) ?? undefined;
  const maxResults = text('maxResults');
  return {
    ...(text('inputFile') !== undefined ? { inputFile: text('inputFile') } : {}),
    ...(text('queue') !== undefined ? { queue: text('queue') } : {}),
    ...(text('status') !== undefined ? { status: text('status') } : {}),
    ...(text('order') !== undefined ? { order: text('order') } : {}),
    ...(maxResults !== undefined ? { maxResults: Number(maxResults) } : {}),
    ...(text('nextToken') !== undefined ? { nextToken: text('nextToken') } : {}),
  };
}

/**
 * Answers one request. `segments` is the decoded path split on '/', `readBody` parses the
 * JSON body on demand (GET and DELETE never read it), `query` holds the query members.
 * @returns the HTTP status and the JSON body.
 */
export async function routeRequest(
  store: MediaConvertStore,
  method: string,
  segments: readonly string[],
  readBody: () => Promise<Json>,
  query: URLSearchParams = new URLSearchParams(),
): Promise<[number, Json]> {
  const [prefix, collection, id, ...rest] = segments;
  if (prefix !== API_PREFIX || rest.length > 0) throw new RouteNotFound();
  const key = `${method} ${collection ?? ''}${id === undefined ? '' : '/{id}'}`;
  switch (key) {
    case 'POST queues':
      return [201, { queue: store.createQueue(await readBody()) }];
    case 'GET queues':
      return [200, { queues: [...store.queues.values()] }];
    case 'GET queues/{id}':
      return [200, { queue: store.getQueue(id as string) }];
    case 'PUT queues/{id}':
      return [200, { queue: store.updateQueue(id as string, await readBody()) }];
    case 'DELETE queues/{id}':
      store.deleteQueue(id as string);
      return [202, {}];
    case 'POST probe':
      return [200, await store.probe(await readBody())];
    case 'POST jobs':
      return [201, { job: store.createJob(await readBody()) }];
    case 'GET jobs':
      return [200, { jobs: store.listJobs() }];
    case 'GET jobs/{id}':
      return [200, { job: store.getJob(id as string) }];
    case 'GET search':
      return [200, { ...store.searchJobs(searchQuery(query)) }];
    case 'GET tags/{id}':
      return [200, { resourceTags: { arn: id, tags: store.tagsOf(id as string) } }];
    case 'POST tags':
      store.tagResource(await readBody());
      return [200, {}];
    case 'PUT tags/{id}':
      store.untagResource(id as string, await readBody());
      return [200, {}];
    default:
      throw new RouteNotFound();
  }
}
