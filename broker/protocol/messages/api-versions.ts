import { api, array, struct, T } from '../schema.ts';

export const ApiVersions = api(
  18,
  'ApiVersions',
  { versions: '0-4', flexible: 3, listeners: ['broker', 'controller'] },
  {
    clientSoftwareName: { type: T.string, v: '3+' },
    clientSoftwareVersion: { type: T.string, v: '3+' },
  },
  {
    errorCode: T.int16,
    apiKeys: array(struct({ apiKey: T.int16, minVersion: T.int16, maxVersion: T.int16 })),
    throttleTimeMs: { type: T.int32, v: '1+' },
    supportedFeatures: {
      type: array(struct({ name: T.string, minVersion: T.int16, maxVersion: T.int16 })),
      v: '3+',
      tag: 0,
    },
    finalizedFeaturesEpoch: { type: T.int64, v: '3+', tag: 1, default: -1 },
    finalizedFeatures: {
      type: array(struct({ name: T.string, maxVersionLevel: T.int16, minVersionLevel: T.int16 })),
      v: '3+',
      tag: 2,
    },
    zkMigrationReady: { type: T.bool, v: '3+', tag: 3 },
  },
);
