// A Crypto Lake client from request parameters: which bucket, which server, which credentials.
// Keys come from the caller (the app's keychain) or the AWS default chain; never from params.
import type { LakeSecrets, LakeSourceParams } from '../../../src-shared/acquire'
import { createLakeClient, type LakeClient, type LakeCredentials } from './client'
import { CRYPTO_LAKE, CRYPTO_LAKE_SAMPLE } from './layout'

export function credentialsFor(source: LakeSourceParams, secrets?: LakeSecrets): LakeCredentials {
  if (source.anonymous === true || (source.bucket === 'sample' && source.anonymous !== false)) {
    return { kind: 'anonymous' }
  }
  if (secrets?.accessKeyId && secrets.secretAccessKey) {
    return {
      kind: 'keys',
      accessKeyId: secrets.accessKeyId,
      secretAccessKey: secrets.secretAccessKey,
      ...(secrets.sessionToken ? { sessionToken: secrets.sessionToken } : {})
    }
  }
  return source.profile ? { kind: 'default', profile: source.profile } : { kind: 'default' }
}

export function clientFor(source: LakeSourceParams, secrets?: LakeSecrets): LakeClient {
  return createLakeClient({
    credentials: credentialsFor(source, secrets),
    location: source.bucket === 'sample' ? CRYPTO_LAKE_SAMPLE : CRYPTO_LAKE,
    ...(source.region ? { region: source.region } : {}),
    ...(source.endpoint ? { endpoint: source.endpoint } : {})
  })
}
