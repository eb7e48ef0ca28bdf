// Binds handlers to the contract's route table: path matching, body validation in, response
// and query validation in, response validation out (a response that breaks the contract is a
// server bug and says so).
import type { z } from 'zod';
import { routes, type RouteName, type Routes } from '../contract/index.ts';
import { ConsoleError } from '../kafka/errors.ts';
import { parseOrThrow } from './validation.ts';
import { formatZodError } from './validation.ts';

type Body<N extends RouteName> = Routes[N] extends { body: z.ZodType } ? z.output<Routes[N]['body']> : undefined;
type Query<N extends RouteName> = Routes[N] extends { query: z.ZodType } ? z.output<Routes[N]['query']> : undefined;

export type Handler<N extends RouteName> = (input: {
  params: Record<string, string>;
  body: Body<N>;
  query: Query<N>;
}) => Promise<z.input<Routes[N]['response']>>;

/** A handler with its route's types erased: `run` validates body and query against the route's schemas. */
type ErasedHandler = (input: { params: Record<string, string>; body: unknown; query: unknown }) => Promise<unknown>;

interface Compiled {
  name: RouteName;
  method: string;
  regex: RegExp;
  keys: string[];
  handler: ErasedHandler;
}

export class Router {
  #compiled: Compiled[] = [];

  on<N extends RouteName>(name: N, handler: Handler<N>): this {
    const def = routes[name];
    const keys: string[] = [];
    const pattern = def.path.replace(/:([A-Za-z]+)/g, (_, k: string) => {
      keys.push(k);
      return '([^/]+)';
    });
    this.#compiled.push({ name, method: def.method, regex: new RegExp(`^${pattern}$`), keys, handler: handler as unknown as ErasedHandler });
    return this;
  }

  /** Finds the route; `null` = no path matched, 'method' = path exists with another method. */
  match(method: string, pathname: string) {
    let pathMatched = false;
    for (const c of this.#compiled) {
      const m = c.regex.exec(pathname);
      if (!m) continue;
      pathMatched = true;
      if (c.method !== method) continue;
      const params: Record<string, string> = {};
      c.keys.forEach((k, i) => {
        try {
          params[k] = decodeURIComponent(m[i + 1]);
        } catch {
          params[k] = m[i + 1];
        }
      });
      return { route: c, params };
    }
    return pathMatched ? ('method' as const) : null;
  }

  async run(route: Compiled, params: Record<string, string>, rawBody: unknown, search?: URLSearchParams): Promise<unknown> {
    const def = routes[route.name] as { body?: z.ZodType; query?: z.ZodType; response: z.ZodType };
    const body = def.body ? parseOrThrow(def.body, rawBody ?? {}) : undefined;
    const query = def.query ? parseOrThrow(def.query, Object.fromEntries(search ?? [])) : undefined;
    const result = await route.handler({ params, body, query });
    const checked = def.response.safeParse(result);
    if (!checked.success) {
      throw new ConsoleError('CONTRACT_VIOLATION', `Response of ${route.name} breaks the contract: ${formatZodError(checked.error)}`, 500);
    }
    return checked.data;
  }
}
