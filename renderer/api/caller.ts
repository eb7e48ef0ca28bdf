// The typed HTTP call derived from the contract's route table, built for a base URL and a token
// source: the renderer's `call` (same origin, launch token) and headless callers (tests, the
// learn scenarios run outside a browser) are the same function.
import {
  ApiErrorSchema,
  buildPath,
  routes,
  type RouteBody,
  type RouteName,
  type RouteParams,
  type RouteQuery,
  type RouteResponse,
} from '../../main/contract/index.ts';

export class ApiRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export type Call = <N extends RouteName>(
  name: N,
  params: RouteParams<N> & RouteQuery<N>,
  ...rest: RouteBody<N> extends undefined ? [] : [body: RouteBody<N>]
) => Promise<RouteResponse<N>>;

/** Path parameters fill the route's `:name` segments; a route with a query takes its parameters here too. */
function urlOf(def: { path: string; query?: unknown }, params: Record<string, unknown>): string {
  const path = buildPath(def.path, params as Record<string, string>);
  if (!def.query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && !def.path.includes(`:${k}`)) q.set(k, String(v));
  return q.size ? `${path}?${q}` : path;
}

/** `baseUrl` is '' in the page (same origin), `http://127.0.0.1:port` elsewhere. */
export function createCaller(opts: { baseUrl: string; token: () => string | null }): Call {
  return async (name, params, ...rest) => {
    const def = routes[name];
    const token = opts.token();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers['x-samsa-token'] = token;
    const init: RequestInit = { method: def.method, headers };
    if (rest.length) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(rest[0]);
    }
    let res: Response;
    try {
      res = await fetch(opts.baseUrl + urlOf(def, params as Record<string, unknown>), init);
    } catch {
      throw new ApiRequestError('CONSOLE_UNREACHABLE', 'The console server is not reachable. Is `samsa serve` still running?', 0);
    }
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const err = ApiErrorSchema.safeParse(json);
      if (err.success) throw new ApiRequestError(err.data.error.code, err.data.error.message, res.status);
      throw new ApiRequestError('HTTP_' + res.status, `The console server answered ${res.status} ${res.statusText}`, res.status);
    }
    const parsed = def.response.safeParse(json);
    if (!parsed.success) throw new ApiRequestError('CONTRACT_VIOLATION', `Unexpected response for ${name}`, res.status);
    return parsed.data as RouteResponse<typeof name>;
  };
}
