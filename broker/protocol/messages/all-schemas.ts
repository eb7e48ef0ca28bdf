// All declared API schemas as one list, for tests that walk every declaration.
import type { ApiSchema } from '../schema.ts';
import * as messages from './index.ts';

export const allSchemas: readonly ApiSchema[] = (Object.values(messages) as ApiSchema[]).sort((a, b) => a.key - b.key);
