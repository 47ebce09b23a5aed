/**
 * The AWS SDK reads endpoints, profiles, credentials and IMDS from the environment. Suites that drive the
 * real SDK pin all of it so the host's AWS setup cannot leak in and nothing ever leaves 127.0.0.1.
 */
const ISOLATED_AWS_ENV: Readonly<Record<string, string | undefined>> = {
  AWS_CONFIG_FILE: '/nonexistent/hangar-test/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/hangar-test/credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PROFILE: undefined,
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_ENDPOINT_URL: undefined,
  AWS_ENDPOINT_URL_EC2: undefined,
  AWS_ENDPOINT_URL_STS: undefined,
  AWS_ENDPOINT_URL_SSM: undefined,
  AWS_ENDPOINT_URL_SERVICE_QUOTAS: undefined,
  AWS_ENDPOINT_URL_EC2_INSTANCE_CONNECT: undefined,
  AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
  AWS_MAX_ATTEMPTS: undefined,
  AWS_RETRY_MODE: undefined,
};

/** Sets (or, for undefined, removes) environment variables. */
export function setEnv(vars: Readonly<Record<string, string | undefined>>): void {
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

/** Pins the SDK's environment (plus `extra`); returns the function that puts the previous values back. */
export function isolateAwsEnv(extra: Readonly<Record<string, string | undefined>> = {}): () => void {
  const vars = { ...ISOLATED_AWS_ENV, ...extra };
  const saved: Record<string, string | undefined> = {};
  for (const key of Object.keys(vars)) saved[key] = process.env[key];
  setEnv(vars);
  return () => setEnv(saved);
}
