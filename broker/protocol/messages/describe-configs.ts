import { api, array, narray, struct, T } from '../schema.ts';

export const DescribeConfigs = api(
  32,
  'DescribeConfigs',
  { versions: '0-4', flexible: 4, listeners: ['broker', 'controller'] },
  {
    resources: array(
      struct({
        resourceType: T.int8,
        resourceName: T.string,
        configurationKeys: narray(T.string),
      }),
    ),
    includeSynonyms: { type: T.bool, v: '1+' },
    includeDocumentation: { type: T.bool, v: '3+' },
  },
  {
    throttleTimeMs: T.int32,
    results: array(
      struct({
        errorCode: T.int16,
        errorMessage: T.nstring,
        resourceType: T.int8,
        resourceName: T.string,
        configs: array(
          struct({
            name: T.string,
            value: T.nstring,
            readOnly: T.bool,
            isDefault: { type: T.bool, v: '0' },
            configSource: { type: T.int8, v: '1+', default: -1 },
            isSensitive: T.bool,
            synonyms: { type: array(struct({ name: T.string, value: T.nstring, source: T.int8 })), v: '1+' },
            configType: { type: T.int8, v: '3+' },
            documentation: { type: T.nstring, v: '3+' },
          }),
        ),
      }),
    ),
  },
);
