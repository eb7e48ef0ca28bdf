// The renderer's typed HTTP client: the contract-derived call (caller.ts) on the page's own
// origin with the launch token.
import { createCaller } from './caller.ts';
import { getToken } from './token.ts';

export { ApiRequestError, type Call } from './caller.ts';

export const call = createCaller({ baseUrl: '', token: getToken });
